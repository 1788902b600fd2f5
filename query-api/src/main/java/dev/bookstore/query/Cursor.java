package dev.bookstore.query;

import dev.bookstore.http.Sha256;
import dev.bookstore.domain.Keyset;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque page cursor: the keyset of the last row of a page, and a tag of the listing it belongs to,
 * so a cursor of one author's books is refused on another listing instead of paging something else.
 * URL-safe base64 without padding of: version (1 byte), created_at in epoch microseconds (8), id (16),
 * listing tag (4).
 *
 * <p>It is not signed, so anyone can forge one: {@link #decode} checks every part before a value of it can
 * reach SQL, where a timestamp out of PostgreSQL's range would be a database error. The id is not checked
 * further: any 128 bits are a uuid, and a command sent straight to a queue may name a book with any of them.
 */
final class Cursor {

    private static final byte VERSION = 1;
    private static final int LENGTH = 1 + 8 + 16 + 4;
    /**
     * The years 0001 to 9999: within timestamptz (4713 BC to 294276 AD) and within what {@code createdAt}, an
     * RFC 3339 timestamp with its four-digit year, can show. Every row's created_at is in it.
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Cursor() {
    }

    static String encode(Keyset keyset, String listing) {
        ByteBuffer bytes = ByteBuffer.allocate(LENGTH).put(VERSION).putLong(micros(keyset.createdAt()))
                .putLong(keyset.id().getMostSignificantBits()).putLong(keyset.id().getLeastSignificantBits())
                .put(tag(listing));
        return text(bytes);
    }

    /** The keyset, or null when the text is not a cursor of this listing exactly as {@link #encode} writes it. */
    static Keyset decode(String text, String listing) {
        ByteBuffer bytes = unwrap(text, LENGTH, VERSION);
        if (bytes == null) {
            return null;
        }
        long micros = bytes.getLong();
        if (micros < micros(EARLIEST) || micros > micros(LATEST)) {
            return null;
        }
        UUID id = new UUID(bytes.getLong(), bytes.getLong());
        byte[] tag = new byte[4];
        bytes.get(tag);
        if (!MessageDigest.isEqual(tag, tag(listing))) {
            return null;
        }
        Keyset keyset = new Keyset(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L), id);
        // Base64 ignores the spare bits of the last character: only the one text that encodes this keyset is its cursor.
        return encode(keyset, listing).equals(text) ? keyset : null;
    }

    private static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    /** URL-safe base64 without padding of the buffer's bytes: the text of any opaque position this API hands out. */
    static String text(ByteBuffer bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * The bytes of {@code text} after its version byte, or null unless it is base64 of exactly {@code length} bytes
     * starting with {@code version}. Callers check the rest, and that {@link #text} of what they read gives {@code text} back.
     */
    static ByteBuffer unwrap(String text, int length, byte version) {
        if (text.length() != (length * 8 + 5) / 6) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw);
        return raw.length == length && bytes.get() == version ? bytes : null;
    }

    /** Four bytes of SHA-256 of what the position belongs to, so one listing's is refused on another. */
    static byte[] tag(String listing) {
        byte[] hash = Sha256.of(listing);
        return new byte[] {hash[0], hash[1], hash[2], hash[3]};
    }
}
