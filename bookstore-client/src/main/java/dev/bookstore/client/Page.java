package dev.bookstore.client;

import java.util.List;

/** One page of a listing, newest first; {@code next} is the cursor of the following page, null on the last. */
public record Page<T>(List<T> items, String next) {

    public Page {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public boolean hasNext() {
        return next != null;
    }
}
