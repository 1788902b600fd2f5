package dev.bookstore.query;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * A change feed's position: the {@code seq} of the last event read, and a tag of the feed it belongs to (the whole
 * feed or one book's), so one feed's position is refused on another. URL-safe base64 without padding of: version
 * (1 byte, 2: not a list's {@link Cursor}), seq (8), feed tag (4). Like {@link Cursor}, checked in full on decode.
 */
final class FeedCursor {

    private static final byte VERSION = 2;
    private static final int LENGTH = 1 + 8 + 4;

    private FeedCursor() {
    }

    static String encode(long seq, String feed) {
        return Cursor.text(ByteBuffer.allocate(LENGTH).put(VERSION).putLong(seq).put(tag(feed)));
    }

    /** The seq, or null when the text is not a position of this feed exactly as {@link #encode} writes it. */
    static Long decode(String text, String feed) {
        ByteBuffer bytes = Cursor.unwrap(text, LENGTH, VERSION);
        if (bytes == null) {
            return null;
        }
        long seq = bytes.getLong();
        byte[] tag = new byte[4];
        bytes.get(tag);
        if (seq < 0 || !MessageDigest.isEqual(tag, tag(feed))) {
            return null;
        }
        // Base64 ignores the spare bits of the last character: only the one text that encodes this position is its cursor.
        return encode(seq, feed).equals(text) ? seq : null;
    }

    private static byte[] tag(String feed) {
        return Cursor.tag("feed\n" + feed);
    }
}
