package dev.bookstore.replay.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.Payload;
import dev.bookstore.config.AwsSettings;
import dev.bookstore.testkit.CommandMessages;
import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.TestLambdaContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.model.Message;

/** The DlqReplay Lambda, from its environment map to its response, on real SQS queues; otherwise only the local runner's IT reaches it. */
class DlqReplayHandlerIT {

    static EmbeddedSqs elasticMq;

    String booksQueue;
    String booksDlq;
    String reviewsQueue;
    String reviewsDlq;
    DlqReplayHandler handler;

    @BeforeAll
    static void start() {
        elasticMq = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        elasticMq.close();
    }

    @BeforeEach
    void freshQueuesAndHandler() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        booksQueue = elasticMq.createQueue("books-" + suffix);
        booksDlq = elasticMq.createQueue("books-" + suffix + "-dlq");
        reviewsQueue = elasticMq.createQueue("reviews-" + suffix);
        reviewsDlq = elasticMq.createQueue("reviews-" + suffix + "-dlq");
        handler = new DlqReplayHandler(Map.of(DlqReplayHandler.BOOKS_QUEUE_URL, booksQueue, DlqReplayHandler.BOOKS_DLQ_URL, booksDlq,
                DlqReplayHandler.REVIEWS_QUEUE_URL, reviewsQueue, DlqReplayHandler.REVIEWS_DLQ_URL, reviewsDlq,
                DlqReplayHandler.SQS_ENDPOINT, elasticMq.endpoint(), AwsSettings.ACCESS_KEY_ID, "local", AwsSettings.SECRET_ACCESS_KEY, "local",
                AwsSettings.REGION, Region.US_EAST_1.id()));
    }

    @Test
    void aDryRunReportsTheMessageIdsItWouldMoveAndLeavesEveryMessageInTheDlq() {
        List<Dead> dead = IntStream.range(0, 3).mapToObj(i -> dead(booksDlq, CommandMessages.book("Dry " + i))).toList();

        Map<String, Object> response = invoke(Map.of("queue", "books", "all", true, "dryRun", true));

        assertThat(response).containsEntry("dryRun", true).containsEntry("selected", 3).containsEntry("moved", 0).containsEntry("failed", 0);
        assertThat(response.get("wouldMove")).asInstanceOf(list(String.class))
                .containsExactlyInAnyOrderElementsOf(dead.stream().map(Dead::messageId).toList());
        assertThat(elasticMq.depth(booksQueue)).isZero();
        // Received back at once: the dry run released what it looked at instead of holding it invisible.
        assertThat(drain(booksDlq)).extracting(Message::body).containsExactlyInAnyOrderElementsOf(bodies(dead));
    }

    @Test
    void aReplayByCommandIdMovesOnlyTheChosenMessagesWithAReplayCount() {
        List<Dead> dead = IntStream.range(0, 5).mapToObj(i -> dead(booksDlq, CommandMessages.book("Book " + i))).toList();
        List<Dead> chosen = List.of(dead.get(1), dead.get(3));

        Map<String, Object> response = invoke(Map.of("queue", "books", "commandIds", chosen.stream().map(Dead::commandId).toList()));

        assertThat(response).containsEntry("dryRun", false).containsEntry("selected", 2).containsEntry("moved", 2).containsEntry("failed", 0)
                .containsEntry("failures", List.of()).doesNotContainKey("wouldMove");
        List<Message> replayed = drain(booksQueue);
        assertThat(replayed).extracting(Message::body).containsExactlyInAnyOrderElementsOf(bodies(chosen));
        assertThat(replayed).allSatisfy(m -> assertThat(m.messageAttributes()).hasEntrySatisfying("replayCount",
                count -> assertThat(count.stringValue()).isEqualTo("1")));
        assertThat(elasticMq.depth(booksDlq)).as("moved ones deleted, not just held invisible").isEqualTo(3);
        assertThat(drain(booksDlq)).extracting(Message::body)
                .containsExactlyInAnyOrder(dead.get(0).body(), dead.get(2).body(), dead.get(4).body());
    }

    @Test
    void replayingAllReviewsMovesEveryReviewAndNoBook() {
        UUID book = CommandIds.fresh();
        List<Dead> reviews = IntStream.range(0, 3).mapToObj(i -> dead(reviewsDlq, CommandMessages.review(book, i + 1))).toList();
        List<Dead> books = IntStream.range(0, 2).mapToObj(i -> dead(booksDlq, CommandMessages.book("Stays " + i))).toList();

        Map<String, Object> response = invoke(Map.of("queue", "reviews", "all", true));

        assertThat(response).containsEntry("queue", "reviews").containsEntry("selected", 3).containsEntry("moved", 3).containsEntry("failed", 0);
        assertThat(drain(reviewsQueue)).extracting(Message::body).containsExactlyInAnyOrderElementsOf(bodies(reviews));
        assertThat(elasticMq.depth(reviewsDlq)).isZero();
        assertThat(elasticMq.depth(booksQueue)).isZero();
        assertThat(drain(booksDlq)).extracting(Message::body).containsExactlyInAnyOrderElementsOf(bodies(books));
    }

    @Test
    void anUnknownQueueOrAMissingSelectionIsRefusedByNameAndChangesNothing() {
        Dead stays = dead(booksDlq, CommandMessages.book("Stays"));

        assertThatThrownBy(() -> invoke(Map.of("queue", "authors", "all", true))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("\"queue\" must be one of", "books", "reviews", "was authors");
        assertThatThrownBy(() -> invoke(Map.of("queue", "books"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("choose what to replay");
        assertThatThrownBy(() -> invoke(Map.of("queue", "books", "all", false, "dryRun", true))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("choose what to replay");

        assertThat(elasticMq.depth(booksQueue)).isZero();
        assertThat(drain(booksDlq)).extracting(Message::body).containsExactly(stays.body());
    }

    record Dead(String messageId, String commandId, String body) {
    }

    private Map<String, Object> invoke(Map<String, Object> request) {
        return handler.handleRequest(request, new TestLambdaContext());
    }

    private static Dead dead(String dlqUrl, Payload payload) {
        CommandEnvelope command = CommandMessages.envelope(payload);
        String body = CommandMessages.json(command);
        String messageId = elasticMq.client().sendMessage(r -> r.queueUrl(dlqUrl).messageBody(body)).messageId();
        return new Dead(messageId, command.commandId().toString(), body);
    }

    private static List<String> bodies(List<Dead> dead) {
        return dead.stream().map(Dead::body).toList();
    }

    /** Every visible message of a queue, each received once and deleted; a message still held invisible is not seen. */
    private static List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        for (int empty = 0; empty < 2; ) {
            List<Message> batch = elasticMq.client().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(60).messageAttributeNames("All")).messages();
            empty = batch.isEmpty() ? empty + 1 : 0;
            all.addAll(batch);
            batch.forEach(m -> elasticMq.client().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
        }
        return all;
    }
}
