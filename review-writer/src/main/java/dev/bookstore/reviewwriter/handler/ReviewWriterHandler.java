package dev.bookstore.reviewwriter.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.Payload;
import dev.bookstore.config.Settings;
import dev.bookstore.db.Database;
import dev.bookstore.reviewwriter.ReviewTarget;
import dev.bookstore.writer.BatchWriter;
import dev.bookstore.writer.WaitSettings;
import dev.bookstore.writer.WriterTelemetry;
import java.time.Clock;
import java.util.Map;

/** Applies batches from {@code reviews-commands}, reporting back only the messages to retry. */
public final class ReviewWriterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final BatchWriter<Payload> writer;

    /** For the Lambda runtime. */
    public ReviewWriterHandler() {
        this(System.getenv());
    }

    /** One execution environment with the given environment variables; bad configuration throws here. */
    public ReviewWriterHandler(Map<String, String> environment) {
        this(new Settings(environment), Database.fromEnvironment(environment));
    }

    private ReviewWriterHandler(Settings settings, Database db) {
        this(new BatchWriter<>(db, new CommandCodec(Clock.systemUTC()), new ReviewTarget(), WaitSettings.patience(settings),
                WriterTelemetry.toStdout("review-writer")));
    }

    public ReviewWriterHandler(BatchWriter<Payload> writer) {
        this.writer = writer;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return writer.write(event);
    }
}
