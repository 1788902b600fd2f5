package dev.bookstore.testkit;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Cursors a client could make up, each named by how it was made, from a real cursor of the listing they are sent to
 * (URL-safe base64 of a version byte, microseconds since 1970, an id and the listing's tag). Shared by query-api's
 * tests and the bad-input campaign, so both forge the same way.
 */
public final class ForgedCursors {

    /** The range of a cursor's timestamp that the API takes: query-api's CursorTest holds it equal to Cursor's. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /**
     * Just before timestamptz's first instant (4714 BC): PostgreSQL answers 22008. Its last (294276 AD) is past what
     * eight bytes of microseconds since 1970 can reach (294247 AD), so only the first can be overstepped.
     */
    public static final long POSTGRES_EARLIEST_MICROS_MINUS_ONE = micros(Instant.parse("-4713-11-24T00:00:00Z")) - 1;

    private ForgedCursors() {
    }

    /** Every one of these must be refused: none is a cursor the listing of {@code real} issued or could issue. */
    public static Map<String, String> of(String real, long seed) {
        return of(real, seed, 20);
    }

    /** As {@link #of(String, long)}, with {@code rounds} cursors of each random kind. */
    public static Map<String, String> of(String real, long seed, int rounds) {
        Random random = new Random(seed);
        byte[] bytes = Base64.getUrlDecoder().decode(real);
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("empty", "");
        forged.put("truncated by one", real.substring(0, real.length() - 1));
        forged.put("first character dropped", real.substring(1));
        forged.put("extended by one", real + "A");
        forged.put("extended by four", real + "AAAA");
        forged.put("padded", real + "=");
        forged.put("doubled", real + real);
        forged.put("spare bits of the last character set", real.substring(0, real.length() - 1) + spareBitsSet(real.charAt(real.length() - 1)));
        forged.put("standard alphabet", real.replace('-', '+').replace('_', '/') + (real.matches(".*[-_].*") ? "" : "+"));
        forged.put("not base64", "%%%" + real.substring(3));
        forged.put("version 0", encode(with(bytes, 0, (byte) 0)));
        forged.put("version 2", encode(with(bytes, 0, (byte) 2)));
        forged.put("tag changed", encode(with(bytes, bytes.length - 1, (byte) (bytes[bytes.length - 1] ^ 1))));
        forged.put("largest timestamp", encode(withMicros(bytes, Long.MAX_VALUE)));
        forged.put("smallest timestamp", encode(withMicros(bytes, Long.MIN_VALUE)));
        forged.put("timestamp before PostgreSQL's first", encode(withMicros(bytes, POSTGRES_EARLIEST_MICROS_MINUS_ONE)));
        forged.put("timestamp after 9999", encode(withMicros(bytes, micros(LATEST) + 1)));
        forged.put("timestamp before 0001", encode(withMicros(bytes, micros(EARLIEST) - 1)));
        for (int i = 0; i < rounds; i++) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            forged.put("random bytes " + i, encode(noise));
            byte[] sameLength = new byte[bytes.length];
            random.nextBytes(sameLength);
            forged.put("random bytes of a cursor's length " + i, encode(sameLength));
            long far = random.nextBoolean() ? micros(LATEST) + 1 + (random.nextLong() >>> 1) % (Long.MAX_VALUE - micros(LATEST))
                    : micros(EARLIEST) - 1 - (random.nextLong() >>> 1) % (micros(EARLIEST) - Long.MIN_VALUE);
            forged.put("random timestamp out of range " + i, encode(withMicros(bytes, far)));
        }
        return forged;
    }

    /** Cursors that are the listing's own form with in-range values: refusing these would refuse a real page. */
    public static Map<String, String> inRange(String real) {
        byte[] bytes = Base64.getUrlDecoder().decode(real);
        return Map.of(
                "earliest timestamp", encode(withMicros(bytes, micros(EARLIEST))),
                "latest timestamp", encode(withMicros(bytes, micros(LATEST))),
                "the epoch", encode(withMicros(bytes, 0)),
                "another id", encode(with(bytes, 12, (byte) (bytes[12] ^ 0x55))));
    }

    public static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    private static char spareBitsSet(char last) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet.charAt(alphabet.indexOf(last) | 0b11);
    }

    private static byte[] with(byte[] bytes, int index, byte value) {
        byte[] copy = bytes.clone();
        copy[index] = value;
        return copy;
    }

    private static byte[] withMicros(byte[] bytes, long micros) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).putLong(1, micros);
        return copy;
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
