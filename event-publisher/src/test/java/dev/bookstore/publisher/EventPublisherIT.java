package dev.bookstore.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.connection.DatabaseConfig;
import dev.bookstore.db.Database;
import dev.bookstore.domain.FeedEvent;
import dev.bookstore.migration.Migrations;
import dev.bookstore.publisher.handler.EventPublisherHandler;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.LambdaEvents;
import dev.bookstore.testkit.MotoServer;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.testkit.TestPostgres;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The publisher against real PostgreSQL, as its own database role, and moto_server's EventBridge (an implementation of
 * AWS's that is not ours): a bus, a rule on it for source "bookstore", and an SQS queue as the rule's target, where
 * what the publisher sent is read back.
 */
class EventPublisherIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUS = "bookstore-changes";

    static TestPostgres postgres;
    static MotoServer moto;
    static SqsClient sqs;
    static EventBridgeClient events;
    static String follower;

    @BeforeAll
    static void start() {
        assumeThat(MotoServer.isInstalled()).as("moto_server on the PATH").isTrue();
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
        moto = MotoServer.start();
        sqs = EmbeddedSqs.client(moto.endpoint());
        events = client(null);
        follower = sqs.createQueue(r -> r.queueName("follower")).queueUrl();
        String followerArn = sqs.getQueueAttributes(r -> r.queueUrl(follower).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.createEventBus(r -> r.name(BUS));
        events.putRule(r -> r.name("follow").eventBusName(BUS).eventPattern("{\"source\":[\"bookstore\"]}"));
        events.putTargets(r -> r.rule("follow").eventBusName(BUS).targets(t -> t.id("follower").arn(followerArn)));
        // moto_server builds its EventBridge delivery at the first PutEvents, which can take seconds on a busy machine:
        // longer than the handler's 3 s attempt timeout, made for AWS. Paid here, with an event no rule matches.
        events.putEvents(r -> r.entries(e -> e.eventBusName(BUS).source("warm-up").detailType("WarmUp").detail("{}")));
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void emptyFeed() {
        postgres.truncate("change_events");
        postgres.execute("UPDATE change_feed_position SET last_seq = 0");
        sqs.purgeQueue(r -> r.queueUrl(follower));
    }

    @Test
    void aNudgePublishesEveryCommittedEventAndMarksIt() throws Exception {
        // One request's worth: the handler's client keeps AWS's timeouts (3 s an attempt), and moto_server, answering in
        // Python, takes longer than that for several requests of ten at once on a busy machine. Volume is the other tests'.
        List<String> ids = append(8);
        EventPublisherHandler handler = new EventPublisherHandler(Map.of(DatabaseConfig.URL, postgres.jdbcUrlAs(postgres.publisherRole()),
                PublisherSettings.BUS_NAME, BUS, PublisherSettings.SOURCE, "bookstore", PublisherSettings.EVENTS_ENDPOINT, moto.endpoint(),
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_REGION", "us-east-1"));

        handler.handleRequest(LambdaEvents.load("events/nudges.json", SQSEvent.class), new TestLambdaContext("EventPublisher", Duration.ofSeconds(60)));

        assertThat(postgres.count("SELECT count(*) FROM change_events WHERE published_at IS NULL")).isZero();
        List<JsonNode> delivered = drain(8);
        assertThat(delivered).extracting(e -> e.at("/detail/eventId").asText()).containsExactlyInAnyOrderElementsOf(ids);
        JsonNode first = delivered.get(0);
        assertThat(first.get("source").asText()).isEqualTo("bookstore");
        assertThat(first.get("detail-type").asText()).isEqualTo("BookCreated");
        assertThat(first.at("/detail/version").asInt()).isEqualTo(FeedEvent.FORMAT_VERSION);
        assertThat(first.at("/detail/data/title").asText()).startsWith("Book ");
    }

    /** Sent, then the publisher dies before its mark commits: the events stay unpublished and the next run sends them again. */
    @Test
    void aPublisherThatDiesBetweenSendAndMarkSendsThemAgain() throws Exception {
        List<String> ids = append(15);
        EventBus dies = sent -> {
            bus(events).send(sent);
            throw new IllegalStateException("killed between send and mark");
        };

        assertThatThrownBy(() -> publisher(dies).run("nudge", () -> 60_000)).hasMessageContaining("killed");
        assertThat(postgres.count("SELECT count(*) FROM change_events WHERE published_at IS NULL")).isEqualTo(15);
        PublishRun again = publisher(bus(events)).run("sweep", () -> 60_000);

        assertThat(again.published()).isEqualTo(15);
        List<JsonNode> delivered = drain(30);
        Map<String, Long> copies = delivered.stream().collect(Collectors.groupingBy(e -> e.at("/detail/eventId").asText(), Collectors.counting()));
        assertThat(copies).as("each event twice, the same eventId both times").hasSize(15).allSatisfy((id, n) -> assertThat(n).isEqualTo(2L));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    }

    /** Two publishers at once claim different events (SKIP LOCKED): each event is sent once, and both did some of the work. */
    @Test
    void twoPublishersAtOnceSendEachEventOnce() throws Exception {
        append(300);
        Map<Long, AtomicInteger> sends = new ConcurrentHashMap<>();
        List<Integer> byPublisher = new CopyOnWriteArrayList<>();
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<Future<PublishRun>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(two.submit(() -> publisher(sent -> {
                sent.forEach(e -> sends.computeIfAbsent(e.seq(), s -> new AtomicInteger()).incrementAndGet());
                try {
                    Thread.sleep(30); // a send takes time, while the other publisher claims
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return sent.stream().map(FeedEvent::seq).toList();
            }, 20).run("nudge", () -> 60_000)));
        }
        for (Future<PublishRun> run : runs) {
            byPublisher.add((int) run.get().published());
        }
        two.shutdown();

        assertThat(sends).hasSize(300).allSatisfy((seq, n) -> assertThat(n.get()).as("sends of event %d", seq).isEqualTo(1));
        assertThat(byPublisher).as("events each publisher published").allSatisfy(n -> assertThat(n).isPositive());
        assertThat(postgres.count("SELECT count(*) FROM change_events WHERE published_at IS NULL")).isZero();
    }

    /** PutEvents may refuse some entries and take the rest: the refused stay unpublished for the next run. */
    @Test
    void eventsTheBusRefusesStayForTheNextRun() {
        append(10);
        PublishRun partly = publisher(sent -> sent.stream().map(FeedEvent::seq).filter(seq -> seq % 2 == 0).toList()).run("nudge", () -> 60_000);

        assertThat(partly.published()).isEqualTo(5);
        assertThat(partly.refused()).isEqualTo(5);
        assertThat(partly.finished()).isFalse();
        assertThat(postgres.count("SELECT count(*) FROM change_events WHERE published_at IS NULL AND seq % 2 = 1")).isEqualTo(5);
        assertThat(publisher(bus(events)).run("sweep", () -> 60_000).published()).isEqualTo(5);
    }

    /** At most 10 entries and 256 KB a request, counted as EventBridge counts them; moto_server takes every request. */
    @Test
    void requestsHoldAtMostTenEntriesAndStayUnderTheSizeLimit() throws Exception {
        List<Integer> entriesPerRequest = new CopyOnWriteArrayList<>();
        EventBridgeClient counted = client(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutEventsRequest put) {
                    entriesPerRequest.add(put.entries().size());
                }
            }
        });
        append(25);
        publisher(bus(counted)).run("nudge", () -> 60_000);
        assertThat(entriesPerRequest).containsExactlyInAnyOrder(10, 10, 5); // sent at once, in no set order

        entriesPerRequest.clear();
        drain(25);
        appendLarge(6, 60_000); // about 60 KB each: four fit in 256 KB, not five
        publisher(bus(counted)).run("nudge", () -> 60_000);
        assertThat(entriesPerRequest).containsExactlyInAnyOrder(4, 2);
        assertThat(drain(6)).hasSize(6);
    }

    private static EventPublisher publisher(EventBus bus) {
        return publisher(bus, 100);
    }

    private static EventPublisher publisher(EventBus bus, int claimSize) {
        return new EventPublisher(Database.pooled(postgres.dataSourceAs(postgres.publisherRole())), bus, claimSize, Duration.ofSeconds(1),
                Clock.systemUTC(), LogLine.discarding("event-publisher"), Metrics.discarding("event-publisher"));
    }

    private static EventBridgeBus bus(EventBridgeClient client) {
        return new EventBridgeBus(client, BUS, "bookstore");
    }

    private static EventBridgeClient client(ExecutionInterceptor interceptor) {
        return EventBridgeClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> {
                    if (interceptor != null) {
                        o.addExecutionInterceptor(interceptor);
                    }
                }).build();
    }

    /** Appends {@code count} BookCreated events as a writer would (V8's numbering); returns their event ids. */
    private static List<String> append(int count) {
        return appendWithText(count, "");
    }

    private static List<String> appendLarge(int count, int textLength) {
        return appendWithText(count, "x".repeat(textLength));
    }

    private static List<String> appendWithText(int count, String text) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = java.util.UUID.randomUUID().toString();
            ids.add(id);
            postgres.execute("WITH taken AS (UPDATE change_feed_position SET last_seq = last_seq + 1 RETURNING last_seq) "
                    + "INSERT INTO change_events (seq, event_id, type, book_id, version, command_id, data) SELECT last_seq, '" + id
                    + "', 'BookCreated', gen_random_uuid(), 1, gen_random_uuid(), jsonb_build_object('title', 'Book ' || last_seq, 'note', '"
                    + text + "') FROM taken");
        }
        return ids;
    }

    /** Receives from the follower queue until {@code expected} events came or nothing more comes. */
    private static List<JsonNode> drain(int expected) throws Exception {
        List<JsonNode> received = new ArrayList<>();
        int empty = 0;
        while (received.size() < expected && empty < 3) {
            var messages = sqs.receiveMessage(r -> r.queueUrl(follower).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            empty = messages.isEmpty() ? empty + 1 : 0;
            for (var message : messages) {
                received.add(JSON.readTree(message.body()));
                sqs.deleteMessage(r -> r.queueUrl(follower).receiptHandle(message.receiptHandle()));
            }
        }
        return received;
    }
}
