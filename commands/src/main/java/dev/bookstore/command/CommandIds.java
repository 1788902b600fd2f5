package dev.bookstore.command;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids for commands and the resources they create (RFC 9562). Fresh ids are version 7: time-ordered,
 * so new rows land at the end of their primary-key index. Ids for an idempotency key are version 5:
 * derived from the key, so a client's retry names the same command and the same book.
 */
public final class CommandIds {

    /** Our namespace for name-based ids; fixed forever, or retried requests would stop matching. */
    private static final UUID NAMESPACE = UUID.fromString("6f1f3b8e-2c4d-5a7e-9b0c-1d2e3f405162");
    /** Replaced after each SnapStart restore (see {@link #reseed()}); volatile so every thread sees the new one. */
    private static volatile SecureRandom random = new SecureRandom();
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private CommandIds() {
    }

    /** A UUID in its canonical 36-character form, or null; {@link UUID#fromString} accepts far looser text. */
    public static UUID parse(String text) {
        return text != null && CANONICAL.matcher(text).matches() ? UUID.fromString(text) : null;
    }

    public static UUID fresh() {
        long millis = System.currentTimeMillis();
        byte[] bits = new byte[10];
        random.nextBytes(bits);
        ByteBuffer randomBits = ByteBuffer.wrap(bits);
        long msb = (millis << 16) | 0x7000L | (randomBits.getShort() & 0x0FFFL);
        long lsb = (randomBits.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /**
     * A new generator, seeded from the system's entropy now. Lambda SnapStart resumes many execution environments from one
     * snapshot, each with the generator's state as it was then ("Handling uniqueness with Lambda SnapStart"); the restore
     * hook calls this so that their fresh ids part at once.
     */
    public static void reseed() {
        random = new SecureRandom();
    }

    /** For tests that stand in for a snapshot: every environment resumed from it starts with {@code state}. */
    static void resume(SecureRandom state) {
        random = state;
    }

    /** The same name always gives the same id. */
    public static UUID derived(String name) {
        return nameBased(NAMESPACE, name);
    }

    static UUID nameBased(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                    .putLong(namespace.getLeastSignificantBits()).array());
            byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0F) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3F) | 0x80);
            ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bits.getLong(), bits.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
