package dev.bookstore.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.CreateBook;
import dev.bookstore.local.Http;
import dev.bookstore.local.LocalStack;
import dev.bookstore.local.RunnerOptions;
import dev.bookstore.local.lambda.SqsEventSource;
import dev.bookstore.replay.AuditLog;
import dev.bookstore.replay.QueuePair;
import dev.bookstore.replay.Replayer;
import dev.bookstore.replay.Selection;
import dev.bookstore.testkit.CommandMessages;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The promise for the whole system, under the faults production brings: every command the system took
 * ends applied once, rejected with a reason, or in a DLQ — never lost, never applied twice. Each scenario
 * runs the local runner in-process with --fast-retries, drives it over HTTP and the SQS API only, drains
 * it, and accounts for every command in its ledger. The clients' workload sends half its books in batches,
 * so each batch item answered 202 is accounted for as a single request's 202 is.
 */
class FaultSuiteIT {

    static final List<Tally> TALLIES = new CopyOnWriteArrayList<>();
    /** What a scenario counted besides its tally; printed with the tallies (the runner owns System.out while it runs). */
    static final List<String> NOTES = new CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITER_QUEUES = Set.of("BooksQueue", "ReviewsQueue");

    @AfterAll
    static void summary() {
        printAccounting("Fault suite accounting:");
    }

    /** The tallies and notes of the scenarios this JVM ran since the last call; CrashFaultsIT's may share the JVM. */
    static void printAccounting(String title) {
        System.out.println(title);
        TALLIES.forEach(t -> System.out.println("  " + t));
        NOTES.forEach(n -> System.out.println("  " + n));
        TALLIES.clear();
        NOTES.clear();
    }

    @Test
    void aDatabaseOutageDelaysWritesAndLosesNothing() throws Exception {
        try (Run run = Run.start("outage")) {
            Workload workload = new Workload(run.http, run.ledger);
            ExecutorService load = Executors.newSingleThreadExecutor();
            Future<?> clients = load.submit(() -> {
                // Four clients, not eight: with half the books in batches eight queue them so fast that, with the writers
                // failing, no message comes round five times in the outage (none reached a DLQ in two runs of three).
                workload.run(1000, 0.5, 0.1, 0.5, 4, 1);
                return null;
            });
            Thread.sleep(1500);
            run.stack.database().stopServer();
            Thread.sleep(15_000); // longer than five failed receives at fast retries: some commands reach a DLQ
            run.stack.database().startServer();
            clients.get();
            load.shutdown();
            run.drain();
            Tally during = run.tally("database outage, before the replay");
            int deadLettered = run.stack.queues().depth("BooksDeadLetterQueue") + run.stack.queues().depth("ReviewsDeadLetterQueue");
            int replayed = run.replayDlqs();
            run.drain();
            Tally after = run.tally("database outage");
            NOTES.add("database outage: " + workload.batches());

            assertThat(during.lost()).isZero();
            assertThat(during.duplicated()).isZero();
            assertThat(after.applied()).as(after.toString()).isEqualTo(after.commands());
            assertThat(after.duplicated()).isZero();
            assertThat(after.unaccounted()).isZero();
            assertThat(during.inDlq()).as("commands dead-lettered by the outage, for the replay to bring back").isPositive();
            // Messages, not commands: a keyed client's retry queues its command twice, and both copies can be dead-lettered,
            // or one applied and the other dead-lettered. The replay must bring back every message, at least one per command.
            assertThat(replayed).isEqualTo(deadLettered).isGreaterThanOrEqualTo(during.inDlq());
        }
    }

    @Test
    void everyMessageDeliveredTwoOrThreeTimesWritesOneRow() throws Exception {
        try (Run run = Run.start("duplicates")) {
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                CommandEnvelope book = CommandMessages.envelope(CommandMessages.book("Twice " + i));
                run.ledger.queued(book);
                for (int copy = 0; copy < 2 + i % 2; copy++) {
                    messages.add(CommandMessages.json(book));
                }
            }
            java.util.Collections.shuffle(messages, new java.util.Random(3));
            run.send("BooksQueue", messages);
            run.drain();
            Tally tally = run.tally("duplicate delivery");

            assertThat(tally.applied()).as(tally.toString()).isEqualTo(1000);
            assertThat(tally.duplicated()).isZero();
            assertThat(run.count("SELECT count(*) FROM books")).isEqualTo(1000);
        }
    }

    @Test
    void poisonMixedInIsRejectedOrDeadLetteredWithoutHoldingBackTheValidCommands() throws Exception {
        try (Run run = Run.start("poison")) {
            List<String> messages = new ArrayList<>();
            Set<String> valid = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                CommandEnvelope book = CommandMessages.envelope(CommandMessages.book("Valid " + i));
                run.ledger.queued(book);
                valid.add(book.commandId().toString());
                messages.add(CommandMessages.json(book));
                switch (i % 10) {
                    case 3 -> {
                        String id = CommandIds.fresh().toString();
                        messages.add("{\"commandId\":\"" + id + "\",\"type\":\"CreateBook\",\"version\":1,\"issuedAt\":\"2026-11-25T10:00:00Z\","
                                + "\"correlationId\":\"poison\",\"payload\":{\"bookId\":\"" + CommandIds.fresh() + "\",\"title\":\"\",\"author\":\"A\","
                                + "\"publisher\":\"P\",\"year\":99}}");
                        run.outsiders.add(id); // rejected, as it should be; not a command anyone was told was accepted
                    }
                    case 6 -> messages.add("poison " + i + " is not JSON");
                    case 9 -> messages.add("{\"commandId\":\"" + CommandIds.fresh() + "\",\"type\":\"CreateBook\",\"version\":3,\"payload\":{}}");
                    default -> { }
                }
            }
            run.send("BooksQueue", messages);
            run.drain();
            Tally tally = run.tally("poison mixed in");
            int undecodable = (int) run.count("SELECT count(*) FROM command_outcomes WHERE reason = 'UNDECODABLE'");
            int invalid = (int) run.count("SELECT count(*) FROM command_outcomes WHERE reason = 'INVALID_PAYLOAD'");

            assertThat(tally.applied()).as(tally.toString()).isEqualTo(1000);
            assertThat(run.appliedAtFirstDelivery(valid)).as("valid commands applied in their first pass").isEqualTo(1000);
            assertThat(undecodable).isEqualTo(100);
            assertThat(invalid).isEqualTo(100);
            assertThat(run.stack.queues().depth("BooksDeadLetterQueue")).as("unknown versions, intact for a replay after an upgrade")
                    .isEqualTo(100);
            assertThat(tally.duplicated()).isZero();
            assertThat(tally.unaccounted()).as("only the undecodable poison's outcomes, under ids made from their messages").isEqualTo(100);
        }
    }

    @Test
    void replayingTheSameDlqContentsTwiceAppliesEachCommandOnce() throws Exception {
        try (Run run = Run.start("replay-twice")) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                CommandEnvelope book = CommandMessages.envelope(CommandMessages.book("Dead " + i));
                run.ledger.queued(book);
                bodies.add(CommandMessages.json(book));
            }
            run.send("BooksDeadLetterQueue", bodies);
            int replayed = run.replayDlqs();
            run.send("BooksQueue", bodies); // the same contents again, as a second replay from a copy would
            run.drain();
            Tally tally = run.tally("replay twice");

            assertThat(replayed).isEqualTo(1000);
            assertThat(tally.applied()).as(tally.toString()).isEqualTo(1000);
            assertThat(tally.duplicated()).isZero();
            assertThat(run.count("SELECT count(*) FROM books")).isEqualTo(1000);
        }
    }

    @Test
    void aDatabaseSoSlowThatBatchesTimeOutAcknowledgesNothingBeforeItsCommitAndLosesNothing() throws Exception {
        try (Run run = Run.start("slow")) {
            // Three statements a batch at 10.5 s each outlive the writer's 30 s timeout.
            run.stack.database().slowDown(Duration.ofMillis(10_500));
            new Workload(run.http, run.ledger).run(30, 0, 0, 0.5, 4, 6);
            Thread.sleep(33_000);
            long timedOut = run.stack.eventSources().stream().mapToLong(SqsEventSource::failedBatches).sum();
            run.stack.database().slowDown(Duration.ZERO);
            run.drain();
            // A timed-out invocation's transaction is rolled back, as on Lambda, and under fast retries the messages come
            // back every 2 s while it runs: some use up their receives and wait in a DLQ for the replay.
            // Messages can reach a DLQ while an invocation that received them is still at work (their 2 s visibility is
            // shorter than its slowed statements), and it may still commit: the drain also waits for every writer
            // handler to return, so that the ledger reads one state of the database.
            Tally during = run.tally("slow database, before the replay");
            run.replayDlqs();
            run.drain();
            Tally tally = run.tally("slow database");

            assertThat(timedOut).as("batches that timed out").isPositive();
            assertThat(during.lost()).isZero();
            assertThat(during.duplicated()).isZero();
            assertThat(tally.applied()).as(tally.toString()).isEqualTo(tally.commands());
            assertThat(tally.duplicated()).isZero();
            assertThat(tally.unaccounted()).isZero();
        }
    }

    /**
     * SQS cut off from the API: a request that never left is answered "not queued", and every client retries it, with
     * a key or without; one whose connection dropped mid-exchange is "may have been queued", and only a client with a
     * key retries that. A "not queued" that was in fact queued would show as an applied command nobody was told of.
     */
    @Test
    void whileSqsIsDownClientsGet503AndTheirRetriesSucceedOnce() throws Exception {
        try (Run run = Run.start("sqs-down")) {
            Workload workload = new Workload(run.http, run.ledger);
            ExecutorService load = Executors.newSingleThreadExecutor();
            Future<?> clients = load.submit(() -> {
                workload.run(1500, 0.3, 0.5, 0.5, 8, 7);
                return null;
            });
            Thread.sleep(1000);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> workload.batchesInFlight.get() > 0);
            run.stack.sqsGate().cut(); // with a batch on its way, which may meet the outage mid-exchange
            Future<?> batchInOutage = CompletableFuture.runAsync(() -> workload.batchNow(100_000, 12, 7)); // and one that surely does
            Thread.sleep(8000); // longer than the API's 6 s of retries: some requests are answered 503
            run.stack.sqsGate().mend();
            clients.get();
            batchInOutage.get();
            load.shutdown();
            run.drain();
            Tally tally = run.tally("SQS unavailable to ingest");
            NOTES.add("SQS unavailable to ingest: 503 'not queued' " + workload.unavailable + ", 503 'may have been queued' "
                    + workload.outcomeUnknown + "; " + workload.batches());

            assertThat(workload.unavailable.get()).as("503 'not queued' answers while SQS was down").isPositive();
            assertThat(workload.itemsUnavailable.get() + workload.itemsOutcomeUnknown.get()).as("batch items answered 503").isPositive();
            assertThat(tally.applied() + tally.neverQueued()).as(tally.toString()).isEqualTo(tally.commands());
            assertThat(tally.lost()).isZero();
            assertThat(tally.duplicated()).isZero();
            assertThat(tally.unaccounted()).isZero();
        }
    }

    /**
     * SQS takes every request and its answers are lost on the way back, for 8 s: the API retries the same envelope,
     * then answers 503 "may have been queued" with the command's id. Clients with a key retry it; clients without one
     * do not. Every such command was in fact queued (the gate forwarded it), so each must end applied, once.
     */
    @Test
    void whenSqsAnswersAreLostThe503SaysTheCommandMayBeQueuedAndEachEndsAppliedOnce() throws Exception {
        try (Run run = Run.start("answers-lost")) {
            Workload workload = new Workload(run.http, run.ledger);
            ExecutorService load = Executors.newSingleThreadExecutor();
            Future<?> clients = load.submit(() -> {
                workload.run(1000, 0.3, 0.5, 0.5, 8, 10);
                return null;
            });
            Thread.sleep(1000);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> workload.batchesInFlight.get() > 0);
            run.stack.sqsGate().loseAnswers(true); // with a batch on its way, which may meet it mid-exchange
            Future<?> batchInOutage = CompletableFuture.runAsync(() -> workload.batchNow(100_000, 12, 10)); // and one that surely does
            Thread.sleep(8000);
            run.stack.sqsGate().loseAnswers(false);
            clients.get();
            batchInOutage.get();
            load.shutdown();
            run.drain();
            Tally tally = run.tally("SQS's answers lost");
            long uncertain = run.ledger.entries().values().stream().filter(e -> !e.certain()).count();
            NOTES.add("SQS's answers lost: 503 'may have been queued' " + workload.outcomeUnknown + ", " + uncertain
                    + " commands answered only so; 503 'not queued' " + workload.unavailable + "; " + workload.batches());

            assertThat(workload.outcomeUnknown.get()).as("503 'may have been queued' answers").isPositive();
            assertThat(workload.itemsOutcomeUnknown.get()).as("batch items answered 'may have been queued'").isPositive();
            assertThat(uncertain).as("commands only ever answered 'may have been queued'").isPositive();
            assertThat(tally.applied()).as(tally.toString()).isEqualTo(tally.commands());
            assertThat(tally.neverQueued()).isZero();
            assertThat(tally.duplicated()).isZero();
            assertThat(tally.unaccounted()).as("commands applied that no client was told of").isZero();
        }
    }

    /**
     * Books held in their DLQ for 10 s, past the old 13-minute wait scaled by --fast-retries (8 s), while their reviews
     * wait: half in the reviews queue backing off, half in the reviews DLQ after three misses and an outage. Then the
     * DLQs are replayed in the wrong order, reviews first. Every review must end applied. Reviews of books whose
     * CreateBook is rejected (a duplicate ISBN) are rejected BOOK_REJECTED, not left waiting.
     */
    @Test
    void reviewsWaitForBooksHeldInTheDlqAndAWrongReplayOrderLosesNone() throws Exception {
        try (Run run = Run.start("book-waits")) {
            List<String> heldBooks = new ArrayList<>();
            List<String> waitingReviews = new ArrayList<>();
            List<String> deadReviews = new ArrayList<>();
            List<String> originals = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                CommandEnvelope book = CommandMessages.envelope(CommandMessages.book("Held " + i));
                CommandEnvelope review = CommandMessages.envelope(CommandMessages.review(((CreateBook) book.payload()).bookId(), 1 + i % 5));
                run.ledger.queued(book);
                run.ledger.queued(review);
                heldBooks.add(CommandMessages.json(book));
                (i % 2 == 0 ? waitingReviews : deadReviews).add(CommandMessages.json(review));
                if (i % 2 == 1) {
                    // It missed its book three times before an outage used up its receives: replayed first, it must wait again.
                    run.execute("INSERT INTO command_waits (command_id, awaited_id, misses) VALUES ('" + review.commandId() + "', '"
                            + ((CreateBook) book.payload()).bookId() + "', 3)");
                }
            }
            for (int i = 0; i < 20; i++) {
                String isbn = isbn13(i);
                CommandEnvelope original = CommandMessages.envelope(CommandMessages.book("Original " + i, isbn));
                CommandEnvelope copy = CommandMessages.envelope(CommandMessages.book("Copy " + i, isbn));
                CommandEnvelope review = CommandMessages.envelope(CommandMessages.review(((CreateBook) copy.payload()).bookId(), 2));
                List.of(original, copy, review).forEach(run.ledger::queued);
                originals.add(CommandMessages.json(original));
                heldBooks.add(CommandMessages.json(copy));
                waitingReviews.add(CommandMessages.json(review));
            }
            run.send("BooksQueue", originals);
            run.send("BooksDeadLetterQueue", heldBooks);
            run.send("ReviewsDeadLetterQueue", deadReviews);
            run.send("ReviewsQueue", waitingReviews);
            Thread.sleep(10_000);
            int reviewsReplayed = run.replayDlq(1); // the wrong order: reviews first, as with --force
            int booksReplayed = run.replayDlq(0);
            run.drain();
            Tally tally = run.tally("reviews waiting for books held in the DLQ, replayed in the wrong order");

            assertThat(reviewsReplayed).isEqualTo(100);
            assertThat(booksReplayed).isEqualTo(220);
            assertThat(tally.reasons()).as(tally.toString()).isEqualTo(Map.of("DUPLICATE_ISBN", 20, "BOOK_REJECTED", 20));
            assertThat(tally.applied()).as(tally.toString()).isEqualTo(tally.commands() - 40);
            assertThat(tally.lost()).isZero();
            assertThat(tally.duplicated()).isZero();
            assertThat(tally.unaccounted()).isZero();
            assertThat(run.count("SELECT count(*) FROM reviews")).isEqualTo(200);
        }
    }

    /**
     * Waits until both command queues have been empty (nothing waiting, nothing in flight) and their writers idle for
     * three seconds.
     */
    static void drain(LocalStack stack) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        int quiet = 0;
        while (quiet < 3) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("the queues did not drain within 3 minutes");
            }
            int depth = WRITER_QUEUES.stream().mapToInt(queue -> stack.queues().depth(queue)).sum();
            quiet = depth == 0 && writersIdle(stack) ? quiet + 1 : 0;
            Thread.sleep(1000);
        }
    }

    /**
     * No writer handler is running, one whose batch already timed out included: under fast retries a batch's messages
     * can reach a DLQ while a slow invocation still holds them, and its commit would land in the middle of a tally.
     */
    private static boolean writersIdle(LocalStack stack) {
        List<SqsEventSource> writers = stack.eventSources().stream().filter(source -> WRITER_QUEUES.contains(source.queueLogicalId())).toList();
        assertThat(writers).as("the writers' event sources").hasSize(WRITER_QUEUES.size());
        return writers.stream().allMatch(source -> source.function().handlersRunning() == 0);
    }

    /** A valid ISBN-13 per number: 978-0-00-00nnn-c. */
    private static String isbn13(int n) {
        String digits = String.format("978000000%03d", n);
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return digits + (10 - sum % 10) % 10;
    }

    /** One scenario's stack, ledger and helpers. */
    static final class Run implements AutoCloseable {
        final String name;
        final Path data;
        final LocalStack stack;
        final Http http;
        final Ledger ledger;
        final Set<String> outsiders = new HashSet<>();
        /** Change events the bus delivered to ChangesFollowerQueue, by eventId, over the scenario. */
        final Map<String, Integer> followed = new java.util.concurrent.ConcurrentHashMap<>();

        private Run(String name, Path data, LocalStack stack, Ledger ledger) {
            this.name = name;
            this.data = data;
            this.stack = stack;
            this.ledger = ledger;
            this.http = new Http(stack.apiUrl());
        }

        static Run start(String name) throws Exception {
            Path data = Files.createTempDirectory("bookstore-faults-" + name);
            LocalStack stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml"))
                    .withDataDirectory(data, false).withQueuesInMemory().withGatedSqs().withFastRetries(true)
                    .withFunctionLogs(data.resolve("functions.jsonl")),
                    new PrintStream(OutputStream.nullOutputStream()));
            return new Run(name, data, stack, new Ledger());
        }

        void send(String queue, List<String> bodies) {
            String url = stack.queueUrl(queue);
            bodies.parallelStream().forEach(body -> stack.queues().client().sendMessage(r -> r.queueUrl(url).messageBody(body)));
        }

        void drain() throws InterruptedException {
            FaultSuiteIT.drain(stack);
        }

        /** Replays one DLQ (0 books, 1 reviews) with the replay tool's code; returns how many messages went back. */
        int replayDlq(int which) {
            Replayer replayer = new Replayer(stack.queues().client(), AuditLog.toFile(data.resolve("dlq-audit.jsonl"), Clock.systemUTC()),
                    Clock.systemUTC());
            return replayer.replay(Tally.dlqs(stack).get(which), Selection.everything(), 0, false, (m, r, s) -> { }, () -> false).moved();
        }

        void execute(String sql) throws Exception {
            try (var c = stack.database().proxyPool().getConnection(); var s = c.createStatement()) {
                s.execute(sql);
            }
        }

        /** Replays both DLQs with the replay tool's code; returns how many messages went back. */
        int replayDlqs() {
            Replayer replayer = new Replayer(stack.queues().client(), AuditLog.toFile(data.resolve("dlq-audit.jsonl"), Clock.systemUTC()),
                    Clock.systemUTC());
            int moved = 0;
            for (QueuePair pair : Tally.dlqs(stack)) {
                moved += replayer.replay(pair, Selection.everything(), 0, false, (m, r, s) -> { }, () -> false).moved();
            }
            return moved;
        }

        /** The scenario's accounting, whose change feed must be exact whatever else the scenario allows. */
        Tally tally(String scenario) throws Exception {
            Tally tally = Tally.of(scenario, stack, ledger, outsiders, followed);
            TALLIES.add(tally);
            assertThat(tally.eventFaults()).as(tally.toString()).isEmpty();
            return tally;
        }

        long count(String sql) throws Exception {
            try (var c = stack.database().proxyPool().getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        /** Commands among {@code ids} the writers' logs show applied at their first delivery. */
        int appliedAtFirstDelivery(Set<String> ids) throws Exception {
            int count = 0;
            for (String line : Files.readAllLines(data.resolve("functions.jsonl"))) {
                if (line.contains("\"outcome\":\"APPLIED\"")) {
                    JsonNode entry = JSON.readTree(line);
                    if (ids.contains(entry.path("commandId").asText()) && entry.path("receiveCount").asInt() == 1) {
                        count++;
                    }
                }
            }
            return count;
        }

        /** Deliveries the writers settled as duplicates: their command already had an outcome. */
        int duplicatesSettled() throws Exception {
            return (int) Files.readAllLines(data.resolve("functions.jsonl")).stream().filter(l -> l.contains("\"outcome\":\"DUPLICATE\"")).count();
        }

        @Override
        public void close() {
            try {
                assertThat(stack.contractViolations()).as(name + ": exchanges that broke openapi.yaml").isEmpty();
            } finally {
                stack.close();
            }
        }
    }
}
