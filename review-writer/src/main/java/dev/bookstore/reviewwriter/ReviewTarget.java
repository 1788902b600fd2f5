package dev.bookstore.reviewwriter;

import dev.bookstore.command.Change;
import dev.bookstore.command.CreateReview;
import dev.bookstore.command.DeleteReview;
import dev.bookstore.command.Payload;
import dev.bookstore.command.ReviewPatch;
import dev.bookstore.command.UpdateReview;
import dev.bookstore.db.Mappers;
import dev.bookstore.domain.BookState;
import dev.bookstore.domain.ChangeEvent;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.NewReview;
import dev.bookstore.domain.StoredReview;
import dev.bookstore.writer.Awaited;
import dev.bookstore.writer.ChangeEvents;
import dev.bookstore.writer.Changes;
import dev.bookstore.writer.CommandTarget;
import dev.bookstore.writer.Reasons;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Review commands: a CreateReview becomes a row once its book is stored; UpdateReview and DeleteReview change it, on the
 * row locked for the batch, in order of their keys (see {@link Changes}). Every command holds a lock on its book, so a
 * book's deletion and its reviews' commands are applied one after the other, and none lands on a deleted book; the
 * book's review count and rating sum follow in the same statements (the reviews' triggers, V7).
 */
public final class ReviewTarget implements CommandTarget<Payload> {

    @Override
    public Set<String> types() {
        return Set.of(Payload.CREATE_REVIEW, Payload.UPDATE_REVIEW, Payload.DELETE_REVIEW);
    }

    @Override
    public boolean accepts(Payload payload) {
        return payload instanceof CreateReview || payload instanceof UpdateReview || payload instanceof DeleteReview;
    }

    @Override
    public Applied apply(Mappers mappers, List<Pending<Payload>> commands) {
        Set<UUID> deletedBooks = mappers.books().lockBooksOfReviews(commands.stream().map(c -> c.payload().bookId()).collect(Collectors.toSet()))
                .stream().filter(BookState::deleted).map(BookState::id).collect(Collectors.toSet());
        Map<UUID, CommandOutcome> outcomes = new HashMap<>();
        List<ChangeEvent> events = new ArrayList<>();
        List<NewReview> rows = new ArrayList<>();
        for (Pending<Payload> command : commands) {
            if (command.payload() instanceof CreateReview review) {
                if (deletedBooks.contains(review.bookId())) {
                    outcomes.put(command.commandId(), bookDeleted(command));
                } else {
                    rows.add(row(command, review));
                    events.add(ChangeEvents.review(ChangeEvents.REVIEW_CREATED, command, review.bookId(), review.reviewId(), review.reviewer(),
                            review.rating(), review.text(), 1));
                }
            }
        }
        if (!rows.isEmpty()) {
            mappers.reviews().insertReviews(rows);
        }
        List<Pending<Payload>> changes = commands.stream().filter(c -> c.payload() instanceof Change)
                .sorted(Comparator.comparing(Pending::key)).toList();
        if (!changes.isEmpty()) {
            applyChanges(mappers, changes, deletedBooks, outcomes, events);
        }
        return new Applied(outcomes, events);
    }

    private static void applyChanges(Mappers mappers, List<Pending<Payload>> changes, Set<UUID> deletedBooks, Map<UUID, CommandOutcome> outcomes,
                                     List<ChangeEvent> events) {
        Map<UUID, StoredReview> reviews = mappers.reviews().lockReviews(changes.stream().map(c -> c.payload().resourceId()).collect(Collectors.toSet()))
                .stream().collect(Collectors.toMap(StoredReview::id, Function.identity()));
        Set<UUID> changed = new TreeSet<>();
        for (Pending<Payload> command : changes) {
            Change change = (Change) command.payload();
            StoredReview review = reviews.get(change.resourceId());
            if (review == null) {
                throw new IllegalStateException("review " + change.resourceId() + " was found stored before this transaction, and reviews are never removed");
            }
            if (deletedBooks.contains(change.bookId())) {
                outcomes.put(command.commandId(), bookDeleted(command).found(review.version()));
                continue;
            }
            if (!review.bookId().equals(change.bookId())) {
                outcomes.put(command.commandId(), CommandOutcome.rejected(command.commandId(), change.type(), Reasons.REVIEW_NOT_FOUND,
                        "reviewId: this review is not one of this book's").about(change.resourceId()));
                continue;
            }
            CommandOutcome refusal = Changes.refusal(command.commandId(), change, "review", review.version(), review.deleted());
            if (refusal != null) {
                outcomes.put(command.commandId(), refusal);
                continue;
            }
            changed.add(review.id());
            if (change instanceof UpdateReview update) {
                Changes.Merge merge = new Changes.Merge(command.key(), review.created(), review.stamps());
                StoredReview after = patched(review, update.patch(), merge);
                if (after.rating() == review.rating() && Objects.equals(after.text(), review.text())) {
                    // The stamps still move (a later, older patch must not win), but the review reads as before: no new version.
                    reviews.put(review.id(), after.atVersion(review.version()));
                    outcomes.put(command.commandId(), CommandOutcome.unchanged(command.commandId(), change.type(), review.id(), review.version(),
                            merge.fieldsSet()));
                    continue;
                }
                reviews.put(review.id(), after);
                outcomes.put(command.commandId(), CommandOutcome.changed(command.commandId(), change.type(), review.id(), review.version(),
                        merge.fieldsSet()));
                events.add(ChangeEvents.review(ChangeEvents.REVIEW_UPDATED, command, review.bookId(), review.id(), after.reviewer(), after.rating(),
                        after.text(), after.version()));
            } else {
                StoredReview after = deleted(review);
                reviews.put(review.id(), after);
                outcomes.put(command.commandId(), CommandOutcome.changed(command.commandId(), change.type(), review.id(), review.version(), List.of()));
                events.add(ChangeEvents.reviewDeleted(command, review.bookId(), review.id(), after.version()));
            }
        }
        if (!changed.isEmpty()) {
            mappers.reviews().updateReviews(changed.stream().map(reviews::get).toList());
        }
    }

    /**
     * Reviews whose book is not stored, and changes whose review is not: at once never coming if the command that would
     * have created it was rejected, otherwise with this delivery counted as one more miss. A deleted book or review is
     * stored: its commands are applied and rejected, not kept waiting.
     */
    @Override
    public Map<UUID, Missing> waiting(Mappers mappers, List<Pending<Payload>> commands) {
        Map<UUID, Missing> waiting = new HashMap<>();
        List<Pending<Payload>> creates = commands.stream().filter(c -> c.payload() instanceof CreateReview).toList();
        if (!creates.isEmpty()) {
            Set<UUID> books = new HashSet<>(mappers.books().findExistingIds(creates.stream().map(c -> c.payload().bookId()).collect(Collectors.toSet())));
            Map<UUID, UUID> absent = new TreeMap<>();
            creates.stream().filter(c -> !books.contains(c.payload().bookId())).forEach(c -> absent.put(c.commandId(), c.payload().bookId()));
            waiting.putAll(Awaited.count(mappers, absent, Payload.CREATE_BOOK, "bookId"));
        }
        List<Pending<Payload>> changes = commands.stream().filter(c -> c.payload() instanceof Change).toList();
        if (!changes.isEmpty()) {
            Set<UUID> reviews = new HashSet<>(mappers.reviews().findExistingIds(changes.stream().map(c -> c.payload().resourceId()).collect(Collectors.toSet())));
            Map<UUID, UUID> absent = new TreeMap<>();
            changes.stream().filter(c -> !reviews.contains(c.payload().resourceId())).forEach(c -> absent.put(c.commandId(), c.payload().resourceId()));
            waiting.putAll(Awaited.count(mappers, absent, Payload.CREATE_REVIEW, "reviewId"));
        }
        return waiting;
    }

    private static CommandOutcome bookDeleted(Pending<Payload> command) {
        return CommandOutcome.rejected(command.commandId(), command.payload().type(), Reasons.BOOK_DELETED, "bookId: the book was deleted")
                .about(command.payload().resourceId());
    }

    private static StoredReview patched(StoredReview review, ReviewPatch patch, Changes.Merge merge) {
        int rating = patch.rating() != null && merge.takes("rating") ? patch.rating() : review.rating();
        String text = (patch.text() != null || patch.removesText()) && merge.takes("text") ? patch.text() : review.text();
        return new StoredReview(review.id(), review.bookId(), review.commandId(), review.issuedAt(), review.reviewer(), rating, text,
                review.version() + 1, merge.stamps().toJson(), false);
    }

    private static StoredReview deleted(StoredReview review) {
        return new StoredReview(review.id(), review.bookId(), review.commandId(), review.issuedAt(), review.reviewer(), review.rating(),
                review.text(), review.version() + 1, review.fieldStamps(), true);
    }

    private static NewReview row(Pending<Payload> command, CreateReview review) {
        return new NewReview(review.reviewId(), command.commandId(), review.bookId(), review.reviewer(), review.rating(), review.text(),
                command.issuedAt());
    }
}
