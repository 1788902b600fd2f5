package dev.bookstore.reviewwriter;

import dev.bookstore.command.CreateReview;
import dev.bookstore.command.Payload;
import dev.bookstore.db.Database;
import dev.bookstore.db.Mappers;
import dev.bookstore.domain.NewReview;
import dev.bookstore.writer.CommandTarget;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    @Override
    public Set<UUID> waiting(Database db, List<Pending<CreateReview>> commands) {
        Set<UUID> books = commands.stream().map(c -> c.payload().bookId()).collect(Collectors.toSet());
        Set<UUID> stored = new HashSet<>(db.read(mappers -> mappers.books().findExistingIds(books)));
        return commands.stream().filter(c -> !stored.contains(c.payload().bookId())).map(Pending::commandId).collect(Collectors.toSet());
    }

    private static NewReview row(Pending<CreateReview> command) {
        CreateReview review = command.payload();
        return new NewReview(review.reviewId(), command.commandId(), review.bookId(), review.reviewer(), review.rating(), review.text());
    }
}
