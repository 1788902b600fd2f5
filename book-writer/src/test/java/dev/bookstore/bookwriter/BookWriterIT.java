package dev.bookstore.bookwriter;

import static dev.bookstore.testkit.CommandMessages.book;
import static dev.bookstore.testkit.CommandMessages.envelope;
import static dev.bookstore.testkit.CommandMessages.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.bookwriter.handler.BookWriterHandler;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.CreateBook;
import dev.bookstore.config.InvalidConfigurationException;
import dev.bookstore.db.Database;
import dev.bookstore.migration.Migrations;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import dev.bookstore.testkit.CommandMessages;
import dev.bookstore.testkit.SqsEvents;
import dev.bookstore.testkit.SqsEvents.Message;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.TestPostgres;
import dev.bookstore.writer.PublisherNudge;
import dev.bookstore.writer.WaitSettings;
import dev.bookstore.writer.BatchWriter;
import dev.bookstore.writer.WriterTelemetry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The BookWriter handler on real PostgreSQL, fed real SQS event JSON. Effects are read back with plain JDBC. */
class BookWriterIT {

    static TestPostgres postgres;
    /** The queue a waiting change's back-off is set on. */
    static EmbeddedSqs sqs;
    static String books;
    /** Where the writer nudges the event publisher after a commit that changed something. */
    static String nudges;
    private BookWriterHandler handler;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
        sqs = EmbeddedSqs.start();
        books = sqs.createQueue("books-waits", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        nudges = sqs.createQueue("publish-nudges", Map.of());
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @BeforeEach
    void freshEnvironment() {
        postgres.truncate("reviews", "books", "command_outcomes");
        handler = new BookWriterHandler(environment());
    }

    /** As the writer role, as on AWS: a statement the migrations grant it no privilege for fails the test. */
    static Map<String, String> environment() {
        return Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrlAs(postgres.writerRole()), "BOOKSTORE_DB_APPLICATION_NAME", "book-writer-test",
                WaitSettings.QUEUE_URL, books, WaitSettings.SQS_ENDPOINT, sqs.endpoint(), PublisherNudge.PUBLISH_QUEUE_URL, nudges,
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_REGION", "us-east-1");
    }

    /** A batch that applied something nudges the publisher once; a batch that changed nothing (a redelivery) does not. */
    @Test
    void aBatchThatAppliedChangesNudgesThePublisherOnceAndARedeliveryDoesNot() {
        sqs.client().purgeQueue(r -> r.queueUrl(nudges));
        Message message = Message.of(json(envelope(book("Nudging"))));

        handle(message, Message.of(json(envelope(book("Nudging too")))));
        int afterApplied = nudgesWaiting();
        handle(message.deliveredAgain());

        assertThat(afterApplied).as("nudges after a batch of two applied").isEqualTo(1);
        assertThat(nudgesWaiting()).as("nudges after a redelivery changed nothing").isEqualTo(1);
    }

    private static int nudgesWaiting() {
        return Integer.parseInt(sqs.client().getQueueAttributes(r -> r.queueUrl(nudges).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Test
    void theSameMessageDeliveredThreeTimesWritesOneRowAndOneOutcome() {
        CommandEnvelope command = envelope(book("Once"));
        Message message = Message.of(json(command));

        SQSBatchResponse first = handle(message);
        SQSBatchResponse second = handle(message.deliveredAgain());
        SQSBatchResponse twiceInOneBatch = handle(message.deliveredAgain().deliveredAgain(), message);

        assertThat(first.getBatchItemFailures()).isEmpty();
        assertThat(second.getBatchItemFailures()).isEmpty();
        assertThat(twiceInOneBatch.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM books WHERE command_id = ?", command.commandId())).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND status = 'APPLIED'", command.commandId())).isEqualTo(1);
    }

    @Test
    void aBatchOfTenWithOneInvalidAppliesNineAndRejectsOne() {
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            batch.add(Message.of(json(book("Book " + i))));
        }
        UUID invalid = CommandIds.fresh();
        batch.add(4, Message.of(envelopeJson(invalid, "{\"bookId\":\"" + CommandIds.fresh() + "\",\"title\":\"Old\",\"author\":\"A\","
                + "\"publisher\":\"P\",\"year\":1200}")));

        SQSBatchResponse response = handle(batch);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM books")).isEqualTo(9);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE status = 'APPLIED'")).isEqualTo(9);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND status = 'REJECTED' "
                + "AND reason = 'INVALID_PAYLOAD' AND detail LIKE 'payload.year: must be between 1450 and %'", invalid)).isEqualTo(1);
    }

    @Test
    void aRejectionQuotingANulCharacterIsStillRecordedSoTheMessageIsNotRetried() {
        UUID invalid = CommandIds.fresh();
        Message message = Message.of(envelopeJson(invalid, "{\"bookId\":\"" + CommandIds.fresh() + "\",\"title\":\"T\",\"author\":\"A\","
                + "\"publisher\":\"P\",\"year\":2001,\"a\\u0000\":1}"));

        SQSBatchResponse response = handle(message);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND reason = 'INVALID_PAYLOAD'", invalid))
                .isEqualTo(1);
    }

    @Test
    void anUnknownVersionIsReturnedEveryTimeAndNothingIsWritten() {
        Message newer = Message.of("{\"commandId\":\"" + CommandIds.fresh() + "\",\"type\":\"CreateBook\",\"version\":2,\"payload\":{}}");
        Message valid = Message.of(json(book("Valid")));

        SQSBatchResponse response = handle(newer, valid);
        SQSBatchResponse again = handle(newer.deliveredAgain());

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(newer.messageId());
        assertThat(again.getBatchItemFailures()).hasSize(1);
        assertThat(postgres.count("SELECT count(*) FROM books")).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes")).isEqualTo(1);
    }

    @Test
    void aDuplicateIsbnIsRejectedWithoutHoldingBackTheRestOfTheBatch() {
        handle(Message.of(json(book("First", "9780306406157"))));
        CommandEnvelope duplicate = envelope(book("Second", "0306406152"));
        List<Message> batch = List.of(Message.of(json(book("A"))), Message.of(json(duplicate)), Message.of(json(book("B"))));

        SQSBatchResponse response = handle(batch);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM books")).isEqualTo(3);
        // Clients read the detail: the API's field and rule, not the constraint, the column or the SQL state.
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND reason = 'DUPLICATE_ISBN' "
                + "AND detail = 'isbn: another book has this ISBN'", duplicate.commandId())).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE detail ~* 'sqlstate|constraint|books_isbn_key|isbn13'")).isZero();
        assertThat(postgres.count("SELECT count(*) FROM books WHERE command_id = ?", duplicate.commandId())).isZero();
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyNeverCreatesASecondBook() {
        UUID bookId = CommandIds.fresh();
        CommandEnvelope first = envelope(new CreateBook(bookId, "First body", "A", "P", 2001, null));
        CommandEnvelope second = envelope(new CreateBook(bookId, "Second body", "A", "P", 2001, null));

        handle(Message.of(json(first)));
        SQSBatchResponse response = handle(Message.of(json(second)));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM books WHERE id = ? AND title = 'First body'", bookId)).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND reason = 'IDEMPOTENCY_KEY_REUSED'",
                second.commandId())).isEqualTo(1);
    }

    @Test
    void anUndecodableBodyIsRejectedUnderAnIdDerivedFromItsMessage() {
        Message garbage = Message.of("this is not JSON");

        SQSBatchResponse response = handle(garbage);
        handle(garbage.deliveredAgain());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND reason = 'UNDECODABLE' AND type IS NULL",
                CommandIds.derived("sqs-message\n" + garbage.messageId()))).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes")).isEqualTo(1);
    }

    @Test
    void aReviewOnTheBooksQueueIsReturnedSoItCanBeReplayedToItsOwnQueue() {
        Message misrouted = Message.of(json(CommandMessages.review(CommandIds.fresh(), 4)));

        SQSBatchResponse response = handle(misrouted);

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes")).isZero();
    }

    @Test
    void whileTheDatabaseIsDownEveryMessageIsReturnedAndNothingIsRecordedThenEverythingApplies() {
        List<Message> batch = List.of(Message.of(json(book("A"))), Message.of(json(book("B"))), Message.of("not json"));
        handle(Message.of(json(book("Warm-up")))); // the environment holds an open connection when the outage starts

        postgres.stop();
        SQSBatchResponse duringOutage;
        try {
            duringOutage = handle(batch);
        } finally {
            postgres.start();
        }
        SQSBatchResponse afterwards = handle(batch.stream().map(Message::deliveredAgain).toList());

        assertThat(duringOutage.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrderElementsOf(batch.stream().map(Message::messageId).toList());
        assertThat(afterwards.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM books")).isEqualTo(3);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes")).isEqualTo(4);
    }

    /** One rule breaker in a batch of 64 is found by halving: about 2 log2(64) transactions, not one per command. */
    @Test
    void aRuleBreakerInABigBatchIsFoundByHalvingTheBatch() {
        handle(Message.of(json(book("First", "9780306406157"))));
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            batch.add(Message.of(json(i == 41 ? envelope(book("Duplicate ISBN", "0306406152")) : envelope(book("Book " + i)))));
        }
        AtomicInteger transactions = new AtomicInteger();
        DataSource writerDataSource = postgres.dataSourceAs(postgres.writerRole());
        DataSource counted = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        transactions.incrementAndGet();
                    }
                    return method.invoke(writerDataSource, args);
                });
        BookWriterHandler writer = new BookWriterHandler(new BatchWriter<>(Database.pooled(counted),
                new CommandCodec(Clock.systemUTC()), new BookTarget(), dev.bookstore.writer.Patience.none(), WriterTelemetry.toStdout("test")));

        SQSBatchResponse response = writer.handleRequest(SqsEvents.of(batch), new TestLambdaContext());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM books")).isEqualTo(64);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE reason = 'DUPLICATE_ISBN'")).isEqualTo(1);
        assertThat(transactions.get()).as("transactions for 64 commands with one rule breaker").isBetween(2, 14);
    }

    @Test
    void whenTheDatabaseFailsDuringTheOneByOneRetryTheRestAreReturnedUntried() {
        handle(Message.of(json(book("First", "9780306406157"))));
        List<Message> batch = new ArrayList<>();
        batch.add(Message.of(json(book("Duplicate ISBN", "0306406152")))); // fails the batch: one by one it goes
        for (int i = 0; i < 8; i++) {
            batch.add(Message.of(json(book("Book " + i))));
        }
        AtomicInteger connections = new AtomicInteger();
        DataSource writerDataSource = postgres.dataSourceAs(postgres.writerRole());
        DataSource failsAfterTheBatch = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && connections.incrementAndGet() > 1) {
                        throw new SQLException("the database went away", "08001");
                    }
                    return method.invoke(writerDataSource, args);
                });
        BookWriterHandler writer = new BookWriterHandler(new BatchWriter<>(Database.pooled(failsAfterTheBatch),
                new CommandCodec(Clock.systemUTC()), new BookTarget(), dev.bookstore.writer.Patience.none(), WriterTelemetry.toStdout("test")));

        SQSBatchResponse response = writer.handleRequest(SqsEvents.of(batch), new TestLambdaContext());

        assertThat(connections).as("the batch's transaction, then one failed try; no connect timeout per remaining command")
                .hasValue(2);
        assertThat(response.getBatchItemFailures()).hasSize(batch.size());
        assertThat(postgres.count("SELECT count(*) FROM books")).isEqualTo(1);
    }

    @Test
    void concurrentInvocationsOverOverlappingDuplicatedBatchesWriteEachBookOnceWithoutDeadlocks() throws Exception {
        List<Message> commands = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            commands.add(Message.of(json(book("Concurrent " + i))));
        }
        AtomicInteger reportedFailures = new AtomicInteger();
        ExecutorService environments = Executors.newFixedThreadPool(6);
        List<Future<?>> runs = new ArrayList<>();
        for (int env = 0; env < 6; env++) {
            long seed = env;
            runs.add(environments.submit(() -> {
                BookWriterHandler own = new BookWriterHandler(environment());
                Random random = new Random(seed);
                List<Message> shuffled = new ArrayList<>(commands);
                Collections.shuffle(shuffled, random);
                for (int start = 0; start < shuffled.size(); start += 10) {
                    List<Message> batch = new ArrayList<>(shuffled.subList(start, Math.min(shuffled.size(), start + 10)));
                    batch.add(batch.get(random.nextInt(batch.size()))); // a duplicate within the batch too
                    SQSBatchResponse response = own.handleRequest(SqsEvents.of(batch), new TestLambdaContext());
                    reportedFailures.addAndGet(response.getBatchItemFailures().size());
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        environments.shutdown();

        assertThat(reportedFailures.get()).as("no deadlock, no failure to retry").isZero();
        assertThat(postgres.count("SELECT count(*) FROM books")).isEqualTo(300);
        assertThat(postgres.count("SELECT count(DISTINCT command_id) FROM books")).isEqualTo(300);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE status = 'APPLIED'")).isEqualTo(300);
    }

    @Test
    void badConfigurationFailsTheEnvironmentSoTheWholeBatchIsRetried() {
        assertThatThrownBy(() -> new BookWriterHandler(Map.of()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("BOOKSTORE_DB_HOST");
    }

    @Test
    void eachMessageAndEachBatchWritesALogLineAndTheCountsAreMetrics() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Clock clock = Clock.systemUTC();
        BookWriterHandler observed = new BookWriterHandler(new BatchWriter<>(Database.pooled(postgres.dataSourceAs(postgres.writerRole())),
                new CommandCodec(clock), new BookTarget(), dev.bookstore.writer.Patience.none(),
                new WriterTelemetry(new LogLine("book-writer", print, clock), new Metrics("book-writer", print, clock), clock)));
        CommandEnvelope good = envelope(book("Logged"));
        Message goodMessage = Message.of(json(good));

        observed.handleRequest(SqsEvents.of(goodMessage, Message.of("nope")), new TestLambdaContext());

        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(mapper.readTree(line));
        }
        // The environment's first batch counts its cold start, once, before its own lines.
        assertThat(lines.remove(0).get("ColdStart").asInt()).isEqualTo(1);
        assertThat(lines.get(0).get("messageId").asText()).isEqualTo(goodMessage.messageId());
        assertThat(lines.get(0).get("commandId").asText()).isEqualTo(good.commandId().toString());
        assertThat(lines.get(0).get("correlationId").asText()).isEqualTo(good.correlationId());
        assertThat(lines.get(0).get("type").asText()).isEqualTo("CreateBook");
        assertThat(lines.get(0).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(lines.get(0).get("receiveCount").asInt()).isEqualTo(1);
        assertThat(lines.get(0).get("ageMs").asLong()).isNotNegative();
        assertThat(lines.get(1).get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(lines.get(1).get("reason").asText()).isEqualTo("UNDECODABLE");
        assertThat(lines.get(2).get("message").asText()).isEqualTo("batch written");
        assertThat(lines.get(2).get("applied").asInt()).isEqualTo(1);
        assertThat(lines.get(3).get("Applied").asInt()).isEqualTo(1);
        assertThat(lines.get(4).get("Reason").asText()).isEqualTo("UNDECODABLE");
        assertThat(lines.get(4).get("Rejected").asInt()).isEqualTo(1);
        assertThat(lines).hasSize(5);
    }

    private SQSBatchResponse handle(Message... messages) {
        return handle(List.of(messages));
    }

    private SQSBatchResponse handle(List<Message> messages) {
        SQSEvent event = SqsEvents.of(messages);
        return handler.handleRequest(event, new TestLambdaContext());
    }

    private static String envelopeJson(UUID commandId, String payload) {
        return "{\"commandId\":\"" + commandId + "\",\"type\":\"CreateBook\",\"version\":1,\"issuedAt\":\"2026-11-25T10:00:00Z\","
                + "\"correlationId\":\"direct\",\"payload\":" + payload + "}";
    }
}
