package dev.bookstore.client.internal;

import java.util.UUID;
import java.util.regex.Pattern;

/** The form the API takes for an {@code Idempotency-Key}, and the client's own keys. */
public final class IdempotencyKeys {

    private static final Pattern FORM = Pattern.compile("[\\x21-\\x7E]{1,128}");

    private IdempotencyKeys() {
    }

    /** A key for one logical call; random, so two calls never share one by accident. */
    public static String fresh() {
        return UUID.randomUUID().toString();
    }

    /** @throws IllegalArgumentException unless 1 to 128 visible ASCII characters, which the API would refuse with a 400 */
    public static String check(String key) {
        if (key == null || !FORM.matcher(key).matches()) {
            throw new IllegalArgumentException("an Idempotency-Key is 1 to 128 visible ASCII characters, not "
                    + (key == null ? "null" : "'" + key + "'"));
        }
        return key;
    }
}
