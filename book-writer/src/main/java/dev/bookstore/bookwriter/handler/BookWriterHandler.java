package dev.bookstore.bookwriter.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.bookstore.bookwriter.BookTarget;
import dev.bookstore.command.CreateBook;
import dev.bookstore.command.Payload;
import dev.bookstore.config.Settings;
import dev.bookstore.db.Database;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.StoredBook;
import dev.bookstore.mapper.BookMapper;
import dev.bookstore.snapstart.Priming;
import dev.bookstore.writer.BatchWriter;
import dev.bookstore.writer.WriterTelemetry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Applies batches from {@code books-commands}, reporting back only the messages to retry. */
public final class BookWriterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final BatchWriter<Payload> writer;
    /** Its SnapStart hooks, held for the environment's life; only the Lambda runtime's constructors register them. */
    private Priming priming;

    /** For the Lambda runtime. */
    public BookWriterHandler() {
        this(System.getenv());
    }

    /** One execution environment with the given environment variables; bad configuration throws here. */
    public BookWriterHandler(Map<String, String> environment) {
        this(new Settings(environment), Database.fromEnvironment(environment));
    }

    private BookWriterHandler(Settings settings, Database db) {
        this(BatchWriter.configured(db, new BookTarget(), settings, WriterTelemetry.toStdout("book-writer")));
        priming = Priming.register(this::prime, db::discardConnection);
    }

    /** The SnapStart hooks this environment registered, or null for a handler built around its writer. */
    public Priming priming() {
        return priming;
    }

    /**
     * Before the snapshot: a command decoded and classified as if delivered, and the batch's statements built. No
     * connection is opened and SQS is not called: the first batch after a restore does both.
     */
    private void prime() {
        UUID id = new UUID(0, 0);
        Instant now = Clock.systemUTC().instant();
        writer.prime(new CreateBook(id, "Priming", "Priming", "Priming", 2000, null), Map.of(
                "BookMapper.insertBookColumns", Map.of("c", BookMapper.columns(List.of(new NewBook(id, id, "Priming", "Priming", "Priming", 2000, null, now)))),
                "BookMapper.lockBooks", Map.of("ids", List.of(id)),
                "BookMapper.updateBooks", Map.of("books", List.of(new StoredBook(id, id, now, "P", "P", "P", 2000, null, 2, "{}", false))),
                "BookMapper.findExistingIds", Map.of("ids", List.of(id))));
    }

    public BookWriterHandler(BatchWriter<Payload> writer) {
        this.writer = writer;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return writer.write(event);
    }
}
