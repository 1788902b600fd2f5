package dev.bookstore.client;

import dev.bookstore.client.internal.IdempotencyKeys;

/**
 * What a change ({@code PATCH} or {@code DELETE}) may carry besides its body: the version it expects, sent as
 * {@code If-Match: "<version>"}, and the caller's own {@code Idempotency-Key}, to resume a call that ended in
 * {@link OutcomeUnknownException}. Either may be null: no precondition, or a key of the client's making.
 */
public record ChangeOptions(Long expectedVersion, String idempotencyKey) {

    private static final ChangeOptions NONE = new ChangeOptions(null, null);

    public ChangeOptions {
        if (expectedVersion != null && expectedVersion < 1) {
            throw new IllegalArgumentException("versions start at 1, not " + expectedVersion);
        }
        if (idempotencyKey != null) {
            IdempotencyKeys.check(idempotencyKey);
        }
    }

    public static ChangeOptions none() {
        return NONE;
    }

    /** Applies only if the stored version is still {@code version} when the writer applies it, else REJECTED (VERSION_CONFLICT). */
    public static ChangeOptions ifVersion(long version) {
        return new ChangeOptions(version, null);
    }

    public ChangeOptions withIfVersion(long version) {
        return new ChangeOptions(version, idempotencyKey);
    }

    public ChangeOptions withIdempotencyKey(String key) {
        return new ChangeOptions(expectedVersion, key);
    }
}
