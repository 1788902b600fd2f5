package dev.bookstore.bookwriter;

import static dev.bookstore.testkit.CommandMessages.book;
import static dev.bookstore.testkit.CommandMessages.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.bookstore.bookwriter.handler.BookWriterHandler;
import dev.bookstore.command.BookPatch;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.CreateBook;
import dev.bookstore.command.DeleteBook;
import dev.bookstore.command.Payload;
import dev.bookstore.command.UpdateBook;
import dev.bookstore.testkit.SqsEvents;
import dev.bookstore.testkit.SqsEvents.Message;
import dev.bookstore.testkit.TestLambdaContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * UpdateBook and DeleteBook through the BookWriter handler, on real PostgreSQL: changes apply in the order of their
 * keys whatever order they arrive in, conditional ones only on the version they name, and a deletion is final.
 */
class BookChangesIT {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private BookWriterHandler handler;

    @BeforeAll
    static void start() {
        BookWriterIT.migrate();
    }

    @AfterAll
    static void stop() {
        BookWriterIT.stopSqs();
    }

    @BeforeEach
    void freshEnvironment() {
        BookWriterIT.postgres.truncate("reviews", "books", "command_outcomes", "command_waits");
        handler = new BookWriterHandler(BookWriterIT.environment());
    }

    @Test
    void aLateOlderPatchSetsOnlyTheFieldsNoNewerCommandSet() {
        UUID book = created("Kindred");
        CommandEnvelope older = at(T0.plusSeconds(1), new UpdateBook(book, new BookPatch("Older title", null, null, 1980, null, false), null));
        CommandEnvelope newer = at(T0.plusSeconds(2), new UpdateBook(book, new BookPatch("Newer title", null, null, null, null, false), null));

        assertThat(handle(newer).getBatchItemFailures()).isEmpty();
        assertThat(handle(older).getBatchItemFailures()).isEmpty();

        assertThat(row(book)).containsEntry("title", "Newer title").containsEntry("year", "1980").containsEntry("version", "3");
        assertThat(outcome(older)).containsEntry("status", "APPLIED").containsEntry("changed_fields", "year")
                .containsEntry("found_version", "2").containsEntry("resource_version", "3");
        assertThat(outcome(newer)).containsEntry("changed_fields", "title").containsEntry("found_version", "1");
    }

    @Test
    void aDuplicateChangesNothingAndOneBatchAppliesItsChangesInKeyOrder() {
        UUID book = created("Kindred");
        CommandEnvelope first = at(T0.plusSeconds(1), new UpdateBook(book, new BookPatch("First", null, null, null, null, false), null));
        CommandEnvelope second = at(T0.plusSeconds(2), new UpdateBook(book, new BookPatch("Second", null, null, null, null, false), null));

        handle(second, first);
        handle(first, second);

        assertThat(row(book)).containsEntry("title", "Second").containsEntry("version", "3");
        assertThat(outcome(first)).containsEntry("found_version", "1");
        assertThat(outcome(second)).containsEntry("found_version", "2");
    }

    @Test
    void aConditionalChangeAppliesOnlyOnTheVersionItNames() {
        UUID book = created("Kindred");
        CommandEnvelope stale = at(T0.plusSeconds(2), new UpdateBook(book, new BookPatch(null, null, null, 1990, null, false), 1));
        CommandEnvelope current = at(T0.plusSeconds(1), new UpdateBook(book, new BookPatch(null, null, "Beacon", null, null, false), 1));

        handle(current);
        handle(stale);

        assertThat(outcome(current)).containsEntry("status", "APPLIED").containsEntry("found_version", "1");
        assertThat(outcome(stale)).containsEntry("status", "REJECTED").containsEntry("reason", "VERSION_CONFLICT")
                .containsEntry("found_version", "2").containsEntry("detail", "If-Match: the book is at version 2, not 1");
        assertThat(row(book)).containsEntry("publisher", "Beacon").containsEntry("year", "1969").containsEntry("version", "2");
    }

    @Test
    void aDeletionIsFinalAndFreesTheIsbn() {
        CreateBook kindred = new CreateBook(CommandIds.fresh(), "Kindred", "Octavia E. Butler", "Doubleday", 1979, "0385132182");
        handle(at(T0, kindred));
        CommandEnvelope delete = at(T0.plusSeconds(1), new DeleteBook(kindred.bookId(), null));
        CommandEnvelope olderPatch = at(T0.plusMillis(500), new UpdateBook(kindred.bookId(), new BookPatch("Late", null, null, null, null, false), null));

        handle(delete);
        handle(olderPatch);
        handle(at(T0.plusSeconds(2), new DeleteBook(kindred.bookId(), null)));
        SQSBatchResponse sameIsbn = handle(at(T0.plusSeconds(3), new CreateBook(CommandIds.fresh(), "Kindred", "Octavia E. Butler",
                "Beacon", 2003, "9780385132183")));

        assertThat(row(kindred.bookId())).containsEntry("deleted", "t").containsEntry("title", "Kindred").containsEntry("isbn", null)
                .containsEntry("version", "2");
        assertThat(outcome(olderPatch)).containsEntry("status", "REJECTED").containsEntry("reason", "BOOK_DELETED");
        assertThat(sameIsbn.getBatchItemFailures()).isEmpty();
        assertThat(BookWriterIT.postgres.count("SELECT count(*) FROM books WHERE isbn = '9780385132183'")).isEqualTo(1);
    }

    @Test
    void aChangeOfABookNotStoredYetWaitsForIt() {
        CreateBook book = book("On its way");
        CommandEnvelope patch = at(T0.plusSeconds(1), new UpdateBook(book.bookId(), new BookPatch("Arrived", null, null, null, null, false), null));
        Message early = Message.of(json(patch));

        SQSBatchResponse waiting = handle(List.of(early));
        handle(at(T0, book));
        SQSBatchResponse applied = handle(List.of(early.deliveredAgain()));

        assertThat(waiting.getBatchItemFailures()).hasSize(1);
        assertThat(applied.getBatchItemFailures()).isEmpty();
        assertThat(row(book.bookId())).containsEntry("title", "Arrived").containsEntry("version", "2");
    }

    /** The book writer sets a waiting change's next delivery on its message, as the review writer does. */
    @Test
    void aWaitingChangeComesBackAfterItsBackOffNotAfterTheQueuesVisibilityTimeout() {
        Map<String, String> environment = new java.util.HashMap<>(BookWriterIT.environment());
        environment.put(dev.bookstore.writer.WaitSettings.WAIT_SECONDS, "1440");
        BookWriterHandler backingOff = new BookWriterHandler(environment);
        CommandEnvelope patch = at(T0, new UpdateBook(CommandIds.fresh(), new BookPatch("Never", null, null, null, null, false), null));
        var sqs = BookWriterIT.sqs.client();
        sqs.sendMessage(r -> r.queueUrl(BookWriterIT.books).messageBody(json(patch)));

        Message first = receive(Duration.ofSeconds(5));
        SQSBatchResponse missed = backingOff.handleRequest(SqsEvents.of(first), new TestLambdaContext());
        long missedAt = System.nanoTime();
        Message second = receive(Duration.ofSeconds(10));

        assertThat(missed.getBatchItemFailures()).hasSize(1);
        assertThat(second.receiveCount()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - missedAt).toMillis()).as("back after its 2 s delay, not the queue's 30 s")
                .isBetween(1000L, 9000L);
        BookWriterIT.sqs.client().deleteMessage(r -> r.queueUrl(BookWriterIT.books).receiptHandle(second.receiptHandle()));
    }

    private static Message receive(Duration within) {
        long giveUp = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < giveUp) {
            List<software.amazon.awssdk.services.sqs.model.Message> got = BookWriterIT.sqs.client().receiveMessage(r -> r
                    .queueUrl(BookWriterIT.books).waitTimeSeconds(1).messageSystemAttributeNamesWithStrings("ApproximateReceiveCount")).messages();
            if (!got.isEmpty()) {
                return Message.received(got.get(0));
            }
        }
        throw new AssertionError("no message within " + within);
    }

    /** Writers on one book lose no update: each locks the row, so every change that alters it counts once in the version. */
    @Test
    void concurrentWritersOnOneBookLoseNoUpdate() throws Exception {
        UUID book = created("Contended");
        List<CommandEnvelope> patches = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            patches.add(at(T0.plusMillis(1 + i), new UpdateBook(book, new BookPatch("Title " + i, null, null, 1900 + i, null, false), null)));
        }
        List<CommandEnvelope> shuffled = new ArrayList<>(patches);
        Collections.shuffle(shuffled, new Random(16));
        ExecutorService writers = Executors.newFixedThreadPool(6);
        try {
            List<Future<SQSBatchResponse>> batches = new ArrayList<>();
            for (int from = 0; from < shuffled.size(); from += 3) {
                List<CommandEnvelope> batch = shuffled.subList(from, from + 3);
                BookWriterHandler own = new BookWriterHandler(BookWriterIT.environment());
                batches.add(writers.submit(() -> own.handleRequest(SqsEvents.of(batch.stream().map(c -> Message.of(json(c))).toList()),
                        new TestLambdaContext())));
            }
            for (Future<SQSBatchResponse> batch : batches) {
                assertThat(batch.get().getBatchItemFailures()).isEmpty();
            }
        } finally {
            writers.shutdown();
        }

        // Arriving shuffled, a patch older than one already applied leaves the book as it reads: applied, no new version.
        // Every patch that did alter it took the next version, one at a time, with its event.
        assertThat(row(book)).containsEntry("title", "Title 59").containsEntry("year", "1959");
        long version = Long.parseLong(row(book).get("version"));
        long altering = BookWriterIT.postgres.count("SELECT count(*) FROM command_outcomes WHERE type = 'UpdateBook' AND status = 'APPLIED'"
                + " AND resource_version = found_version + 1");
        assertThat(altering).as("patches that altered the book").isEqualTo(version - 1).isPositive();
        assertThat(BookWriterIT.postgres.count("SELECT count(DISTINCT found_version) FROM command_outcomes WHERE type = 'UpdateBook'"
                + " AND resource_version = found_version + 1")).as("each found another version").isEqualTo(version - 1);
        assertThat(BookWriterIT.postgres.count("SELECT count(*) FROM change_events WHERE book_id = '" + book + "' AND type = 'BookUpdated'"))
                .as("one event per new version").isEqualTo(version - 1);
        assertThat(BookWriterIT.postgres.count("SELECT count(*) FROM command_outcomes WHERE type = 'UpdateBook' AND status = 'APPLIED'"))
                .as("every patch applied").isEqualTo(60);
    }

    private UUID created(String title) {
        CreateBook book = book(title);
        assertThat(handle(at(T0, book)).getBatchItemFailures()).isEmpty();
        return book.bookId();
    }

    private static CommandEnvelope at(Instant issuedAt, Payload payload) {
        return CommandEnvelope.of(CommandIds.fresh(), issuedAt, "test", null, payload);
    }

    private SQSBatchResponse handle(CommandEnvelope... commands) {
        List<Message> messages = new ArrayList<>();
        for (CommandEnvelope command : commands) {
            messages.add(Message.of(json(command)));
        }
        return handle(messages);
    }

    private SQSBatchResponse handle(List<Message> messages) {
        return handler.handleRequest(SqsEvents.of(messages), new TestLambdaContext());
    }

    private static Map<String, String> row(UUID book) {
        return select("SELECT title, author, publisher, year, isbn, version, deleted_at IS NOT NULL AS deleted FROM books WHERE id = ?", book);
    }

    private static Map<String, String> outcome(CommandEnvelope command) {
        return select("SELECT status, reason, detail, found_version, resource_version, changed_fields FROM command_outcomes WHERE command_id = ?",
                command.commandId());
    }

    private static Map<String, String> select(String sql, UUID id) {
        try (Connection c = BookWriterIT.postgres.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as(sql + " " + id).isTrue();
                Map<String, String> row = new java.util.HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
                return row;
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
