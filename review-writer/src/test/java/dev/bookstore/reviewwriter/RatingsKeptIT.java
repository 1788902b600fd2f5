package dev.bookstore.reviewwriter;

import static dev.bookstore.testkit.CommandMessages.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.CreateReview;
import dev.bookstore.command.DeleteReview;
import dev.bookstore.command.Payload;
import dev.bookstore.command.ReviewPatch;
import dev.bookstore.command.UpdateReview;
import dev.bookstore.db.Database;
import dev.bookstore.domain.BookDetail;
import dev.bookstore.domain.NewBook;
import dev.bookstore.reviewwriter.handler.ReviewWriterHandler;
import dev.bookstore.testkit.SqsEvents;
import dev.bookstore.testkit.SqsEvents.Message;
import dev.bookstore.testkit.TestLambdaContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A book's review count and rating sum are kept on its row (V7) and must equal a full recount of its living reviews
 * after any mix of concurrent batches: creations, duplicates, rating changes and withdrawals of a few popular books,
 * applied by four writers at once, each with its own connection.
 */
class RatingsKeptIT {

    private static final int WRITERS = 4;
    private static final int REVIEWS = 1_200;
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @BeforeAll
    static void start() {
        ReviewWriterIT.migrate();
        ReviewWriterIT.postgres.truncate("reviews", "books", "command_outcomes", "command_waits");
    }

    @AfterAll
    static void stop() {
        ReviewWriterIT.stopSqs();
    }

    @Test
    void theKeptCountsEqualARecountAfterConcurrentBatches() throws Exception {
        Database db = Database.pooled(ReviewWriterIT.postgres.dataSource());
        List<UUID> books = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID book = CommandIds.fresh();
            books.add(book);
            db.inTransaction(m -> m.books().insertBooks(List.of(new NewBook(book, CommandIds.fresh(), "T", "A", "P", 2001, null))));
        }
        Random random = new Random(17);
        List<CreateReview> created = new ArrayList<>();
        List<CommandEnvelope> creations = new ArrayList<>();
        for (int i = 0; i < REVIEWS; i++) {
            CreateReview review = new CreateReview(CommandIds.fresh(), books.get(random.nextInt(books.size())), "R" + i, 1 + random.nextInt(5), null);
            created.add(review);
            creations.add(at(T0.plusMillis(i), review));
        }
        // Every tenth command delivered twice, in another batch: the duplicate must change no count.
        List<CommandEnvelope> deliveries = new ArrayList<>(creations);
        for (int i = 0; i < creations.size(); i += 10) {
            deliveries.add(creations.get(i));
        }
        Collections.shuffle(deliveries, random);
        int failures = applyConcurrently(deliveries);

        List<CommandEnvelope> changes = new ArrayList<>();
        for (int i = 0; i < created.size(); i++) {
            CreateReview review = created.get(i);
            int dice = random.nextInt(10);
            Instant later = T0.plusSeconds(10).plusMillis(i);
            if (dice < 4) {
                changes.add(at(later, new UpdateReview(review.reviewId(), review.bookId(), new ReviewPatch(1 + random.nextInt(5), null, false), null)));
            } else if (dice < 6) {
                changes.add(at(later, new DeleteReview(review.reviewId(), review.bookId(), null)));
                // A change after the withdrawal: rejected REVIEW_DELETED, and the counts must not move for it.
                changes.add(at(later.plusSeconds(1), new UpdateReview(review.reviewId(), review.bookId(), new ReviewPatch(5, null, false), null)));
            }
        }
        Collections.shuffle(changes, random);
        failures += applyConcurrently(changes);

        assertThat(failures).as("messages returned to the queue (a deadlock or a failed transaction)").isZero();
        long drifted = ReviewWriterIT.postgres.count("""
                SELECT count(*) FROM books b
                  LEFT JOIN (SELECT book_id, count(*) AS reviews, sum(rating) AS ratings
                               FROM reviews WHERE deleted_at IS NULL GROUP BY book_id) r ON r.book_id = b.id
                 WHERE b.review_count <> coalesce(r.reviews, 0) OR b.rating_sum <> coalesce(r.ratings, 0)""");
        assertThat(drifted).as("books whose kept counts differ from a recount").isZero();
        long living = ReviewWriterIT.postgres.count("SELECT count(*) FROM reviews WHERE deleted_at IS NULL");
        assertThat(living).isBetween(REVIEWS * 7L / 10, REVIEWS * 9L / 10); // about a fifth withdrawn: the load did delete
        for (UUID book : books) {
            BookDetail detail = db.read(m -> m.books().findBookDetail(book)).orElseThrow();
            long recountInHundredths = ReviewWriterIT.postgres.count(
                    "SELECT (round(avg(rating), 2) * 100)::bigint FROM reviews WHERE book_id = ? AND deleted_at IS NULL", book);
            assertThat(detail.averageRating().movePointRight(2).longValueExact()).isEqualTo(recountInHundredths);
            assertThat((long) detail.reviewCount())
                    .isEqualTo(ReviewWriterIT.postgres.count("SELECT count(*) FROM reviews WHERE book_id = ? AND deleted_at IS NULL", book));
        }
    }

    /** Batches of ten, taken by four writers at once; returns how many messages came back as failures. */
    private static int applyConcurrently(List<CommandEnvelope> commands) throws Exception {
        ConcurrentLinkedQueue<List<Message>> batches = new ConcurrentLinkedQueue<>();
        for (int start = 0; start < commands.size(); start += 10) {
            batches.add(commands.subList(start, Math.min(commands.size(), start + 10)).stream().map(c -> Message.of(json(c))).toList());
        }
        AtomicInteger failures = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                ReviewWriterHandler handler = new ReviewWriterHandler(ReviewWriterIT.environment(4, 1440));
                running.add(writers.submit(() -> {
                    for (List<Message> batch = batches.poll(); batch != null; batch = batches.poll()) {
                        failures.addAndGet(handler.handleRequest(SqsEvents.of(batch), new TestLambdaContext()).getBatchItemFailures().size());
                    }
                }));
            }
            for (Future<?> writer : running) {
                writer.get();
            }
        } finally {
            writers.shutdown();
        }
        return failures.get();
    }

    private static CommandEnvelope at(Instant issuedAt, Payload payload) {
        return CommandEnvelope.of(CommandIds.fresh(), issuedAt, "test", null, payload);
    }
}
