package dev.bookstore.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bookstore.local.Http;
import dev.bookstore.local.db.LocalDatabase;
import dev.bookstore.local.lambda.SqsEventSource;
import dev.bookstore.local.sqs.LocalQueues;
import dev.bookstore.replay.QueuePair;
import dev.bookstore.testkit.RepositoryFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The fault suite's scenarios in which something dies: a bug inside a writer's transaction, the runner's JVM killed
 * with kill -9, the publisher killed between send and mark, a writer's environment gone between commit and
 * acknowledgement. The same promise and ledger as {@link FaultSuiteIT}; a class of its own so that the two failsafe
 * JVMs share the suite's time.
 */
class CrashFaultsIT {

    @AfterAll
    static void summary() {
        FaultSuiteIT.printAccounting("Fault suite accounting (crashes):");
    }

    /**
     * A bug that throws inside a writer's transaction, after the command's outcome was claimed and before its book
     * or review was written, or as a change's event is written: the transaction must keep nothing, or the claim alone
     * commits and every redelivery then finds the command "already applied" with nothing applied, or a change commits
     * without its event (what publishing after the commit would do).
     */
    @Test
    void aBugInsideTheTransactionKeepsNothingAndEveryCommandEndsAppliedOnceItIsFixed() throws Exception {
        try (FaultSuiteIT.Run run = FaultSuiteIT.Run.start("bug")) {
            Workload workload = new Workload(run.http, run.ledger);
            ExecutorService load = Executors.newSingleThreadExecutor();
            Future<?> clients = load.submit(() -> {
                workload.run(600, 0.5, 0.1, 0.5, 8, 8);
                return null;
            });
            Thread.sleep(1000);
            run.stack.database().injectBug(sql -> sql.contains("INSERT INTO books") || sql.contains("INSERT INTO reviews"));
            // Two windows of 3 s and 2 s, 5 s of failures in all as when there was one: longer, and a review whose book
            // failed in both outwaited its patience at fast retries (2 BOOK_NOT_FOUND in one run of 4 s + 4 s).
            Thread.sleep(3000); // fewer receives than maxReceiveCount at fast retries: the commands wait, none is dead-lettered
            long failedStatements = run.stack.database().injectBug(sql -> false);
            Thread.sleep(2000);
            // Then the outbox write alone fails, after the change's own statements have run in the same transaction.
            run.stack.database().injectBug(sql -> sql.contains("INSERT INTO change_events"));
            Thread.sleep(2000);
            long failedEventWrites = run.stack.database().injectBug(sql -> false) - failedStatements; // the count is cumulative
            clients.get();
            load.shutdown();
            run.drain();
            int replayed = run.replayDlqs();
            run.drain();
            Tally tally = run.tally("bug inside the transaction");
            FaultSuiteIT.NOTES.add("bug inside the transaction: " + workload.batches());

            assertThat(failedStatements).as("writes the bug broke after their outcome was claimed").isPositive();
            assertThat(failedEventWrites).as("event writes the bug broke after their change was written").isPositive();
            assertThat(tally.applied()).as(tally + ", " + replayed + " replayed").isEqualTo(tally.commands());
            assertThat(tally.lost()).isZero();
            assertThat(tally.duplicated()).isZero();
            assertThat(tally.unaccounted()).isZero();
        }
    }

    /**
     * ./run-local's JVM killed with kill -9 while the writers are still applying, then ./run-local started again on
     * the same data directory in a new process: it must start (the embedded PostgreSQL of the dead run still holds
     * its port) and lose nothing.
     */
    @Test
    void aRunnerKilledMidLoadStartsAgainOnItsDataAndEveryCommandEndsAppliedOnce() throws Exception {
        Path data = Files.createTempDirectory("bookstore-faults-kill");
        int api = freePort();
        int sqs = freePort();
        int database = freePort();
        Ledger ledger = new Ledger();
        Http http = new Http("http://127.0.0.1:" + api);
        long appliedAtKill;
        Process first = runLocal(data, api, sqs, database, "first");
        try {
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> http.get("/books?limit=1").status() == 200);
            Workload workload = new Workload(http, ledger);
            workload.run(750, 0.5, 0.1, 0.5, 8, 9);
            FaultSuiteIT.NOTES.add("runner killed (kill -9) and started again: " + workload.batches());
            appliedAtKill = countApplied(database);
            first.destroyForcibly().waitFor();
        } finally {
            first.destroyForcibly();
        }
        Process second = runLocal(data, api, sqs, database, "second");
        try (SqsClient client = LocalQueues.client("http://127.0.0.1:" + sqs)) {
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> http.get("/books?limit=1").status() == 200);
            List<QueuePair> pairs = List.of(pair(client, "books"), pair(client, "reviews"));
            Map<String, Integer> followed = new HashMap<>();
            drain(client, pairs);
            Tally tally = Tally.of("runner killed (kill -9) and started again", new Tally.Source() {
                public java.sql.Connection database() throws java.sql.SQLException {
                    return java.sql.DriverManager.getConnection(databaseUrl(database));
                }

                public SqsClient sqs() {
                    return client;
                }

                public List<QueuePair> pairs() {
                    return pairs;
                }

                public String followerQueueUrl() {
                    return client.getQueueUrl(r -> r.queueName("bookstore-changes-follower")).queueUrl();
                }

                public Map<String, Integer> followed() {
                    return followed;
                }
            }, ledger, Set.of());
            FaultSuiteIT.TALLIES.add(tally);

            assertThat(appliedAtKill).as("commands applied when the runner was killed").isLessThan(ledger.entries().size());
            assertThat(tally.applied()).as(tally.toString()).isEqualTo(tally.commands());
            assertThat(tally.eventFaults()).as(tally.toString()).isEmpty();
            assertThat(tally.duplicated()).isZero();
            assertThat(tally.unaccounted()).isZero();
        } finally {
            second.destroy(); // SIGTERM: the runner stops its stack in order
            second.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            second.destroyForcibly();
            LocalDatabase.stopLeftoverServer(data.resolve("postgres"));
        }
    }

    private static QueuePair pair(SqsClient client, String kind) {
        String source = client.getQueueUrl(r -> r.queueName("bookstore-" + kind + "-commands")).queueUrl();
        return new QueuePair(kind, source, client.getQueueUrl(r -> r.queueName("bookstore-" + kind + "-commands-dlq")).queueUrl());
    }

    /** Until the command queues have held nothing, waiting or in flight, for three seconds (Run.drain, over SQS alone). */
    private static void drain(SqsClient client, List<QueuePair> pairs) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        int quiet = 0;
        while (quiet < 3) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("the queues did not drain within 3 minutes");
            }
            int depth = 0;
            for (QueuePair pair : pairs) {
                Map<QueueAttributeName, String> attributes = client.getQueueAttributes(r -> r.queueUrl(pair.sourceUrl()).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                depth += attributes.values().stream().mapToInt(Integer::parseInt).sum();
            }
            quiet = depth == 0 ? quiet + 1 : 0;
            Thread.sleep(1000);
        }
    }

    private static String databaseUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/bookstore?user=postgres";
    }

    /** ./run-local's own command line, in a JVM of its own that the test can kill. */
    private static Process runLocal(Path data, int api, int sqs, int database, String run) throws Exception {
        Path target = RepositoryFiles.find("local-runner/target");
        String classPath = target.resolve("local-runner-0.1.0.jar") + java.io.File.pathSeparator
                + Files.readString(target.resolve("runtime-classpath.txt")).trim();
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                "dev.bookstore.local.LocalRunner", "--template", RepositoryFiles.find("template.yaml").toString(), "--data-dir", data.toString(),
                "--api-port", String.valueOf(api), "--sqs-port", String.valueOf(sqs), "--db-port", String.valueOf(database), "--fast-retries",
                "--status-every", "0", "--function-logs", data.resolve("functions-" + run + "-run.jsonl").toString())
                .redirectErrorStream(true).redirectOutput(data.resolve(run + "-run.log").toFile()).start();
    }

    private static long countApplied(int databasePort) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(databaseUrl(databasePort));
             var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM command_outcomes WHERE status = 'APPLIED'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The publisher dies between its send and its mark: every 25th PutEvents (a claim of 100 events sends 10 at once, so
     * some claims die and others live), once the bus has delivered the entries to
     * their queue and before it answers, the publisher's database sessions are terminated, so the transaction that
     * claimed those events dies as it does when the function's process dies (its connection goes with it) and the mark
     * never commits. Those events must be sent again, and every event must reach the bus's target at least once.
     */
    @Test
    void aPublisherKilledBetweenSendAndMarkSendsAgainAndEveryEventArrives() throws Exception {
        try (FaultSuiteIT.Run run = FaultSuiteIT.Run.start("publisher-killed")) {
            AtomicInteger requests = new AtomicInteger();
            AtomicInteger killed = new AtomicInteger();
            String publisherRole = run.stack.functions().get("EventPublisher").environment().get("BOOKSTORE_DB_USER");
            run.stack.eventBus().afterDelivery(entries -> {
                if (requests.incrementAndGet() % 25 == 0) {
                    try {
                        killed.addAndGet((int) run.count("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                + " WHERE application_name = '" + LocalDatabase.applicationName(publisherRole) + "') AS terminated"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            Workload workload = new Workload(run.http, run.ledger);
            workload.run(1000, 0.5, 0.1, 0.5, 8, 11);
            run.drain();
            Tally tally = run.tally("publisher killed between send and mark");
            run.stack.eventBus().afterDelivery(entries -> { });
            FaultSuiteIT.NOTES.add("publisher killed between send and mark: " + killed + " publisher sessions terminated after " + requests
                    + " PutEvents requests; " + tally.busCopies() + " events sent again; " + workload.batches());

            assertThat(killed.get()).as("publisher sessions terminated between send and mark").isPositive();
            assertThat(tally.busCopies()).as("events the bus got again because their mark died with the publisher").isPositive();
            assertThat(tally.applied()).as(tally.toString()).isEqualTo(tally.commands());
            assertThat(tally.duplicated()).isZero();
            assertThat(tally.unaccounted()).isZero();
        }
    }

    @Test
    void aCrashBetweenCommitAndAcknowledgementChangesNothingWhenRedelivered() throws Exception {
        try (FaultSuiteIT.Run run = FaultSuiteIT.Run.start("crash")) {
            AtomicInteger batches = new AtomicInteger();
            AtomicInteger dropped = new AtomicInteger();
            for (SqsEventSource source : run.stack.eventSources()) {
                source.injectFault(ids -> {
                    boolean drop = batches.incrementAndGet() % 3 == 0;
                    if (drop) {
                        dropped.addAndGet(ids.size());
                    }
                    return drop;
                });
            }
            Workload workload = new Workload(run.http, run.ledger);
            workload.run(1500, 0.5, 0.1, 0.5, 8, 2);
            run.drain();
            Tally tally = run.tally("crash between commit and acknowledgement");
            FaultSuiteIT.NOTES.add("crash between commit and acknowledgement: " + workload.batches());

            assertThat(dropped.get()).as("acknowledgements dropped after commit").isPositive();
            assertThat(run.duplicatesSettled()).as("redeliveries found their command already applied").isPositive();
            assertThat(tally.applied()).as(tally.toString()).isEqualTo(tally.commands());
            assertThat(tally.duplicated()).isZero();
            assertThat(tally.unaccounted()).isZero();
        }
    }
}
