package dev.bookstore.reviewwriter.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.bookstore.command.CreateReview;
import dev.bookstore.command.Payload;
import dev.bookstore.config.Settings;
import dev.bookstore.db.Database;
import dev.bookstore.domain.NewReview;
import dev.bookstore.domain.StoredReview;
import dev.bookstore.mapper.ReviewMapper;
import dev.bookstore.reviewwriter.ReviewTarget;
import dev.bookstore.snapstart.Priming;
import dev.bookstore.writer.BatchWriter;
import dev.bookstore.writer.WriterTelemetry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Applies batches from {@code reviews-commands}, reporting back only the messages to retry. */
public final class ReviewWriterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final BatchWriter<Payload> writer;
    /** Its SnapStart hooks, held for the environment's life; only the Lambda runtime's constructors register them. */
    private Priming priming;

    /** For the Lambda runtime. */
    public ReviewWriterHandler() {
        this(System.getenv());
    }

    /** One execution environment with the given environment variables; bad configuration throws here. */
    public ReviewWriterHandler(Map<String, String> environment) {
        this(new Settings(environment), Database.fromEnvironment(environment));
    }

    private ReviewWriterHandler(Settings settings, Database db) {
        this(BatchWriter.configured(db, new ReviewTarget(), settings, WriterTelemetry.toStdout("review-writer")));
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
        writer.prime(new CreateReview(id, id, "Priming", 5, null), Map.of(
                "ReviewMapper.insertReviewColumns", Map.of("c", ReviewMapper.columns(List.of(new NewReview(id, id, id, "Priming", 5, null, now)))),
                "ReviewMapper.lockReviews", Map.of("ids", List.of(id)),
                "ReviewMapper.updateReviews", Map.of("reviews", List.of(new StoredReview(id, id, id, now, "P", 5, null, 2, "{}", false))),
                "ReviewMapper.findExistingIds", Map.of("ids", List.of(id)),
                "BookMapper.lockBooksOfReviews", Map.of("ids", List.of(id)),
                "BookMapper.findExistingIds", Map.of("ids", List.of(id))));
    }

    public ReviewWriterHandler(BatchWriter<Payload> writer) {
        this.writer = writer;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return writer.write(event);
    }
}
