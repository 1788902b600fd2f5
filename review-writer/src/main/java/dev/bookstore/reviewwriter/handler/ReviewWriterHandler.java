package dev.bookstore.reviewwriter.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CreateReview;
import dev.bookstore.config.Settings;
import dev.bookstore.db.Database;
import dev.bookstore.reviewwriter.ReviewTarget;
import dev.bookstore.writer.BatchWriter;
import dev.bookstore.writer.WriterTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Applies batches from {@code reviews-commands}, reporting back only the messages to retry. */
public final class ReviewWriterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /**
     * Deliveries a review may wait for its book before it is rejected {@code BOOK_NOT_FOUND}; keep it
     * below the queue's {@code maxReceiveCount} so the rejection comes before the DLQ.
     */
    public static final String BOOK_WAIT_RECEIVES = "BOOKSTORE_BOOK_WAIT_RECEIVES";

    /**
     * Seconds after it was issued before a review may be rejected {@code BOOK_NOT_FOUND}: its book may be held up
     * by an outage or waiting in a DLQ for a replay. Default 600; until then the review keeps failing (and may
     * reach the DLQ, to be replayed with its book).
     */
    public static final String BOOK_WAIT_SECONDS = "BOOKSTORE_BOOK_WAIT_SECONDS";

    private final BatchWriter<CreateReview> writer;

    /** For the Lambda runtime. */
    public ReviewWriterHandler() {
        this(System.getenv());
    }

    /** One execution environment with the given environment variables; bad configuration throws here. */
    public ReviewWriterHandler(Map<String, String> environment) {
        this(new Settings(environment), Database.fromEnvironment(environment));
    }

    private ReviewWriterHandler(Settings settings, Database db) {
        this(new BatchWriter<>(db, new CommandCodec(Clock.systemUTC()), new ReviewTarget(), settings.integer(BOOK_WAIT_RECEIVES, 4, 1, 100),
                Duration.ofSeconds(settings.integer(BOOK_WAIT_SECONDS, 600, 0, 86_400)), Clock.systemUTC(),
                WriterTelemetry.toStdout("review-writer")));
    }

    public ReviewWriterHandler(BatchWriter<CreateReview> writer) {
        this.writer = writer;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return writer.write(event);
    }
}
