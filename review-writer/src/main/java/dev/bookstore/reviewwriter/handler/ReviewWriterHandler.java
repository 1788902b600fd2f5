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
import java.util.Map;

/** Applies batches from {@code reviews-commands}, reporting back only the messages to retry. */
public final class ReviewWriterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /**
     * Deliveries a review may wait for its book before it is rejected {@code BOOK_NOT_FOUND}; keep it
     * below the queue's {@code maxReceiveCount} so the rejection comes before the DLQ.
     */
    public static final String BOOK_WAIT_RECEIVES = "BOOKSTORE_BOOK_WAIT_RECEIVES";

    private final BatchWriter<CreateReview> writer;

    /** For the Lambda runtime. */
    public ReviewWriterHandler() {
        this(System.getenv());
    }

    /** One execution environment with the given environment variables; bad configuration throws here. */
    public ReviewWriterHandler(Map<String, String> environment) {
        this(new BatchWriter<>(Database.fromEnvironment(environment), new CommandCodec(Clock.systemUTC()), new ReviewTarget(),
                new Settings(environment).integer(BOOK_WAIT_RECEIVES, 4, 1, 100), WriterTelemetry.toStdout("review-writer")));
    }

    public ReviewWriterHandler(BatchWriter<CreateReview> writer) {
        this.writer = writer;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return writer.write(event);
    }
}
