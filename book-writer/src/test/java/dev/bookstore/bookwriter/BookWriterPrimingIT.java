package dev.bookstore.bookwriter;

import static dev.bookstore.testkit.CommandMessages.book;
import static dev.bookstore.testkit.CommandMessages.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.bookwriter.handler.BookWriterHandler;
import dev.bookstore.testkit.OpenSockets;
import dev.bookstore.testkit.SqsEvents;
import dev.bookstore.testkit.SqsEvents.Message;
import dev.bookstore.testkit.TestLambdaContext;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The BookWriter's SnapStart hooks: priming opens no connection or socket; the first batch after a restore applies. */
class BookWriterPrimingIT {

    @BeforeAll
    static void start() {
        BookWriterIT.migrate();
    }

    @AfterAll
    static void stop() {
        BookWriterIT.stopSqs();
    }

    @Test
    void primingLeavesNoConnectionForTheSnapshotAndTheFirstBatchAfterARestoreApplies() {
        String app = "writer-priming-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> environment = new HashMap<>(BookWriterIT.environment());
        environment.put("BOOKSTORE_DB_APPLICATION_NAME", app);
        BookWriterHandler handler = new BookWriterHandler(environment);
        long socketsBefore = OpenSockets.count();

        handler.priming().beforeCheckpoint(null);

        assertThat(OpenSockets.count()).as("sockets after beforeCheckpoint").isLessThanOrEqualTo(socketsBefore);
        assertThat(BookWriterIT.postgres.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", app)).isZero();

        handler.priming().afterRestore(null);
        var response = handler.handleRequest(SqsEvents.of(Message.of(json(book("After the restore")))), new TestLambdaContext());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(BookWriterIT.postgres.count("SELECT count(*) FROM books WHERE title = 'After the restore'")).isEqualTo(1);
    }
}
