package dev.bookstore.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * The order of commands: when the API issued one ({@code issuedAt}), then its id to break ties. The state of a book or
 * review is what applying its commands in this order gives, whatever order they were delivered in. Ids compare as
 * PostgreSQL compares uuid values, byte by byte unsigned (their text form, not {@link UUID#compareTo}, which is signed).
 */
public record OrderKey(Instant at, UUID by) implements Comparable<OrderKey> {

    private static final Comparator<OrderKey> ORDER = Comparator.comparing(OrderKey::at)
            .thenComparing(key -> key.by().toString());

    public OrderKey {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(by, "by");
    }

    @Override
    public int compareTo(OrderKey other) {
        return ORDER.compare(this, other);
    }

    public boolean isAfter(OrderKey other) {
        return compareTo(other) > 0;
    }
}
