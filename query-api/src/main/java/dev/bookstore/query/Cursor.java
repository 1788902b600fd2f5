package dev.bookstore.query;

import dev.bookstore.domain.Keyset;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque page cursor: the keyset of the last row of a page, and a tag of the listing it belongs to,
 * so a cursor of one author's books is refused on another listing instead of paging something else.
 * URL-safe base64 of: version (1 byte), created_at in epoch microseconds (8), id (16), listing tag (4).
 */
final class Cursor {

    private static final byte VERSION = 1;
    private static final int LENGTH = 1 + 8 + 16 + 4;

    private Cursor() {
    }

    static String encode(Keyset keyset, String listing) {
        Instant at = keyset.createdAt();
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        ByteBuffer bytes = ByteBuffer.allocate(LENGTH).put(VERSION).putLong(micros)
                .putLong(keyset.id().getMostSignificantBits()).putLong(keyset.id().getLeastSignificantBits())
                .put(tag(listing));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** The keyset, or null when the text is not a cursor of this listing. */
    static Keyset decode(String text, String listing) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (raw.length != LENGTH || raw[0] != VERSION) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw, 1, LENGTH - 1);
        long micros = bytes.getLong();
        UUID id = new UUID(bytes.getLong(), bytes.getLong());
        byte[] tag = new byte[4];
        bytes.get(tag);
        if (!MessageDigest.isEqual(tag, tag(listing))) {
            return null;
        }
        return new Keyset(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L), id);
    }

    private static byte[] tag(String listing) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(listing.getBytes(StandardCharsets.UTF_8));
            return new byte[] {hash[0], hash[1], hash[2], hash[3]};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
