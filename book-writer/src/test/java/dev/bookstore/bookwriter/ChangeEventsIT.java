package dev.bookstore.bookwriter;

import static dev.bookstore.testkit.CommandMessages.book;
import static dev.bookstore.testkit.CommandMessages.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.bookstore.writer.ChangeEvents;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox (V8, docs/events.md): each change that alters a book has exactly one event, written in the change's own
 * transaction, and the feed is numbered in commit order without gaps, so a reader never sees a number before the
 * numbers below it.
 */
class ChangeEventsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private BookWriterHandler handler;

    /** One row of change_events. */
    record Event(long seq, UUID eventId, String type, UUID bookId, int version, UUID commandId, String correlationId, JsonNode data) {
    }

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
        BookWriterIT.postgres.truncate("reviews", "books", "command_outcomes", "command_waits", "change_events");
        BookWriterIT.postgres.execute("UPDATE change_feed_position SET last_seq = 0");
        handler = new BookWriterHandler(BookWriterIT.environment());
    }

    @Test
    void eachChangeThatAltersABookHasOneEventAndNothingElseHasAny() throws Exception {
        CreateBook kindred = new CreateBook(CommandIds.fresh(), "Kindred", "Octavia E. Butler", "Doubleday", 1979, null);
        CommandEnvelope create = at(T0, kindred);
        CommandEnvelope retitle = at(T0.plusSeconds(2), patch(kindred.bookId(), new BookPatch("Kindred: A Novel", null, null, null, null, false), null));
        CommandEnvelope superseded = at(T0.plusSeconds(1), patch(kindred.bookId(), new BookPatch("Older title", null, null, null, null, false), null));
        CommandEnvelope sameValue = at(T0.plusSeconds(3), patch(kindred.bookId(), new BookPatch(null, null, null, 1979, null, false), null));
        CommandEnvelope stale = at(T0.plusSeconds(4), patch(kindred.bookId(), new BookPatch(null, null, null, 1980, null, false), 1));
        CommandEnvelope delete = at(T0.plusSeconds(5), new DeleteBook(kindred.bookId(), null));
        CommandEnvelope late = at(T0.plusSeconds(6), patch(kindred.bookId(), new BookPatch("After", null, null, null, null, false), null));

        for (CommandEnvelope command : List.of(create, create, retitle)) {
            assertThat(handle(command).getBatchItemFailures()).isEmpty();
        }
        String retitledAt = updatedAt(kindred.bookId());
        for (CommandEnvelope command : List.of(superseded, sameValue, stale)) {
            assertThat(handle(command).getBatchItemFailures()).isEmpty();
        }
        assertThat(updatedAt(kindred.bookId())).as("a patch that changed nothing leaves updatedAt, as the ETag stays").isEqualTo(retitledAt);
        for (CommandEnvelope command : List.of(delete, late, delete)) {
            assertThat(handle(command).getBatchItemFailures()).isEmpty();
        }

        List<Event> events = events();
        assertThat(events).extracting(Event::type).containsExactly(ChangeEvents.BOOK_CREATED, ChangeEvents.BOOK_UPDATED, ChangeEvents.BOOK_DELETED);
        assertThat(events).extracting(Event::version).containsExactly(1, 2, 3);
        assertThat(events).extracting(Event::commandId).containsExactly(create.commandId(), retitle.commandId(), delete.commandId());
        assertThat(events).extracting(Event::seq).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(Event::eventId).containsExactly(ChangeEvents.eventId(create.commandId()),
                ChangeEvents.eventId(retitle.commandId()), ChangeEvents.eventId(delete.commandId()));
        assertThat(events).extracting(Event::correlationId).containsOnly("test");
        assertThat(events.get(0).data()).isEqualTo(JSON.readTree("{\"id\":\"" + kindred.bookId() + "\",\"title\":\"Kindred\","
                + "\"author\":\"Octavia E. Butler\",\"publisher\":\"Doubleday\",\"year\":1979,\"isbn\":null,\"version\":1}"));
        assertThat(events.get(1).data().get("title").asText()).isEqualTo("Kindred: A Novel");
        assertThat(events.get(1).data().get("version").asInt()).isEqualTo(2);
        assertThat(events.get(2).data()).isEqualTo(JSON.readTree("{\"id\":\"" + kindred.bookId() + "\",\"version\":3,\"deleted\":true}"));

        // A patch that left the book as it read is applied, with no new version and no event.
        assertThat(BookWriterIT.postgres.count("SELECT count(*) FROM command_outcomes WHERE status = 'APPLIED' AND found_version = 2"
                + " AND resource_version = 2")).as("the superseded patch and the one that set the year it had").isEqualTo(2);
        assertThat(BookWriterIT.postgres.count("SELECT version FROM books WHERE id = '" + kindred.bookId() + "'")).isEqualTo(3);
    }

    @Test
    void aRuleBreakerOfABatchHasNoEventAndTheOthersKeepTheirs() throws Exception {
        List<CommandEnvelope> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(at(T0, book("Book " + i)));
        }
        CommandEnvelope first = at(T0, new CreateBook(CommandIds.fresh(), "First", "A", "P", 1999, "0306406152"));
        CommandEnvelope sameIsbn = at(T0, new CreateBook(CommandIds.fresh(), "Second", "A", "P", 1999, "0-306-40615-2"));
        handle(first);
        batch.add(sameIsbn);

        handle(batch.toArray(CommandEnvelope[]::new));

        assertThat(events()).extracting(Event::commandId).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(java.util.stream.Stream.of(first), batch.subList(0, 5).stream()).map(CommandEnvelope::commandId).toList());
        assertThat(BookWriterIT.postgres.count("SELECT count(*) FROM command_outcomes WHERE status = 'REJECTED'")).isEqualTo(1);
    }

    /**
     * Four writers commit batches at once while a reader pages the feed from where it stopped: every page starts at the
     * number after the last one it saw. Numbers taken in commit order make that hold; numbers taken in the order
     * transactions asked for them (a sequence) would show 12 committed while 11 is still on its way, and a reader who
     * moved past 12 would never see 11.
     */
    @Test
    void theFeedIsNumberedInCommitOrderSoAReaderNeverSeesAGap() throws Exception {
        int writers = 4;
        int batches = 25;
        int size = 10;
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> gaps = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        // Between taking its numbers and committing, each transaction now waits up to 20 ms: the window in which another
        // could commit later numbers first is what this test must see closed, so it is made wide.
        BookWriterIT.postgres.execute("CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN PERFORM pg_sleep(random() * 0.02); RETURN NULL; END $$");
        BookWriterIT.postgres.execute("CREATE TRIGGER slow_commit AFTER INSERT ON change_events FOR EACH STATEMENT EXECUTE FUNCTION slow_commit()");
        try {
            Future<Long> reader = pool.submit(() -> {
                long last = 0;
                try (Connection c = BookWriterIT.postgres.dataSource().getConnection();
                     PreparedStatement page = c.prepareStatement("SELECT seq FROM change_events WHERE seq > ? ORDER BY seq LIMIT 50")) {
                    while (writing.get() || last < (long) writers * batches * size) {
                        page.setLong(1, last);
                        try (ResultSet rs = page.executeQuery()) {
                            while (rs.next()) {
                                long seq = rs.getLong(1);
                                if (seq != last + 1) {
                                    gaps.add("after " + last + " came " + seq);
                                }
                                last = seq;
                            }
                        }
                    }
                }
                return last;
            });
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                BookWriterHandler own = new BookWriterHandler(BookWriterIT.environment());
                done.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        List<Message> messages = new ArrayList<>();
                        for (int i = 0; i < size; i++) {
                            messages.add(Message.of(json(at(T0, book("Concurrent")))));
                        }
                        assertThat(own.handleRequest(SqsEvents.of(messages), new TestLambdaContext()).getBatchItemFailures()).isEmpty();
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get();
            }
            writing.set(false);
            assertThat(reader.get()).isEqualTo((long) writers * batches * size);
        } finally {
            writing.set(false);
            pool.shutdownNow();
            BookWriterIT.postgres.execute("DROP TRIGGER slow_commit ON change_events");
            BookWriterIT.postgres.execute("DROP FUNCTION slow_commit()");
        }
        assertThat(gaps).as("pages that skipped a number").isEmpty();
        assertThat(BookWriterIT.postgres.count("SELECT count(*) FROM change_events")).isEqualTo((long) writers * batches * size);
    }

    private static List<Event> events() throws Exception {
        List<Event> events = new ArrayList<>();
        try (Connection c = BookWriterIT.postgres.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, event_id, type, book_id, version, command_id, correlation_id, data::text"
                     + " FROM change_events ORDER BY seq")) {
            while (rs.next()) {
                events.add(new Event(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getObject(4, UUID.class), rs.getInt(5),
                        rs.getObject(6, UUID.class), rs.getString(7), JSON.readTree(rs.getString(8))));
            }
        }
        return events;
    }

    private static String updatedAt(UUID book) throws Exception {
        try (Connection c = BookWriterIT.postgres.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT updated_at::text FROM books WHERE id = '" + book + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static UpdateBook patch(UUID book, BookPatch patch, Integer expectedVersion) {
        return new UpdateBook(book, patch, expectedVersion);
    }

    private static CommandEnvelope at(Instant issuedAt, Payload payload) {
        return CommandEnvelope.of(CommandIds.fresh(), issuedAt, "test", null, payload);
    }

    private SQSBatchResponse handle(CommandEnvelope... commands) {
        List<Message> messages = new ArrayList<>();
        for (CommandEnvelope command : commands) {
            messages.add(Message.of(json(command)));
        }
        return handler.handleRequest(SqsEvents.of(messages), new TestLambdaContext());
    }
}
