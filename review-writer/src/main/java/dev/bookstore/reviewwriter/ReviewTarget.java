package dev.bookstore.reviewwriter;

import dev.bookstore.command.CreateReview;
import dev.bookstore.command.Payload;
import dev.bookstore.db.Mappers;
import dev.bookstore.domain.BookMiss;
import dev.bookstore.domain.NewReview;
import dev.bookstore.writer.CommandTarget;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/** CreateReview commands become rows of {@code reviews}; a review whose book is not stored yet waits for it. */
public final class ReviewTarget implements CommandTarget<CreateReview> {

    @Override
    public String type() {
        return Payload.CREATE_REVIEW;
    }

    @Override
    public Class<CreateReview> payloadClass() {
        return CreateReview.class;
    }

    @Override
    public void insert(Mappers mappers, List<Pending<CreateReview>> commands) {
        mappers.reviews().insertReviews(commands.stream().map(ReviewTarget::row).toList());
    }

    /**
     * Reviews whose book is not stored: at once never coming if the book's own command was rejected, otherwise with
     * this delivery counted as one more miss.
     */
    @Override
    public Map<UUID, Missing> waiting(Mappers mappers, List<Pending<CreateReview>> commands) {
        Set<UUID> books = commands.stream().map(c -> c.payload().bookId()).collect(Collectors.toSet());
        Set<UUID> stored = new HashSet<>(mappers.books().findExistingIds(books));
        List<Pending<CreateReview>> absent = commands.stream().filter(c -> !stored.contains(c.payload().bookId())).toList();
        if (absent.isEmpty()) {
            return Map.of();
        }
        Set<UUID> rejected = new HashSet<>(mappers.outcomes().findRejectedCreations(Payload.CREATE_BOOK,
                absent.stream().map(c -> c.payload().bookId()).collect(Collectors.toSet())));
        Map<UUID, Missing> waiting = new HashMap<>();
        Map<UUID, BookMiss> missing = new TreeMap<>();
        for (Pending<CreateReview> command : absent) {
            if (rejected.contains(command.payload().bookId())) {
                waiting.put(command.commandId(), Missing.rejected());
            } else {
                missing.put(command.commandId(), new BookMiss(command.commandId(), command.payload().bookId(), 0));
            }
        }
        if (!missing.isEmpty()) {
            mappers.reviews().countBookMisses(List.copyOf(missing.values()))
                    .forEach(miss -> waiting.put(miss.commandId(), Missing.counted(miss.misses())));
        }
        return waiting;
    }

    private static NewReview row(Pending<CreateReview> command) {
        CreateReview review = command.payload();
        return new NewReview(review.reviewId(), command.commandId(), review.bookId(), review.reviewer(), review.rating(), review.text());
    }
}
