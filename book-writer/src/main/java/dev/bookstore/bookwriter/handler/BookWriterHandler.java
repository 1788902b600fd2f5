package dev.bookstore.bookwriter.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.bookstore.bookwriter.BookTarget;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CreateBook;
import dev.bookstore.db.Database;
import dev.bookstore.writer.BatchWriter;
import dev.bookstore.writer.Patience;
import dev.bookstore.writer.WriterTelemetry;
import java.time.Clock;
import java.util.Map;

/** Applies batches from {@code books-commands}, reporting back only the messages to retry. */
public final class BookWriterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final BatchWriter<CreateBook> writer;

    /** For the Lambda runtime. */
    public BookWriterHandler() {
        this(System.getenv());
    }

    /** One execution environment with the given environment variables; bad configuration throws here. */
    public BookWriterHandler(Map<String, String> environment) {
        this(new BatchWriter<>(Database.fromEnvironment(environment), new CommandCodec(Clock.systemUTC()), new BookTarget(),
                Patience.none(), WriterTelemetry.toStdout("book-writer")));
    }

    public BookWriterHandler(BatchWriter<CreateBook> writer) {
        this.writer = writer;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return writer.write(event);
    }
}
