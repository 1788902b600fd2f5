package dev.bookstore.local.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.local.LocalStack;
import dev.bookstore.replay.AuditLog;
import dev.bookstore.replay.DlqMessage;
import dev.bookstore.replay.QueuePair;
import dev.bookstore.replay.Replayer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * The accounting after a scenario, the way queueing systems are checked: every command in the ledger is
 * applied once (its one row readable), rejected with a reason, or in a DLQ; anything else is lost, and
 * any second row, or any outcome nobody was told was accepted, is a duplicate or worse. A command the API
 * said may have been queued and that left no trace anywhere was never queued: not lost, counted apart.
 * The change feed is held to the same books ({@code eventFaults}): every applied change that took a version has
 * exactly one event and nothing else has any, and each resource's events carry its versions 1, 2, 3... in feed order,
 * up to the version it is at. And the bus: once the publisher has marked every event published, every event of the
 * feed has reached the template's rule target (ChangesFollowerQueue) at least once; {@code busCopies} counts the
 * deliveries beyond the first (the publisher sends at least once).
 */
record Tally(String scenario, int commands, int applied, int rejected, int inDlq, int lost, int duplicated, int unaccounted,
             int neverQueued, Map<String, Integer> reasons, List<String> eventFaults, long busCopies) {

    /** How long the publisher may take to have sent everything: its sweep runs every minute, should every nudge be lost. */
    static final Duration PUBLISHED_WITHIN = Duration.ofSeconds(150);

    /** The facts a tally is made of: the database, SQS with the stack's queue pairs, and what reached the bus's target. */
    interface Source {
        Connection database() throws SQLException;

        SqsClient sqs();

        List<QueuePair> pairs();

        /** The queue the template's rule delivers every change event to. */
        String followerQueueUrl();

        /** Deliveries to the follower queue by eventId, over the scenario's life: each tally drains the queue into it. */
        Map<String, Integer> followed();
    }

    static Source of(LocalStack stack, Map<String, Integer> followed) {
        return new Source() {
            public Connection database() throws SQLException {
                return stack.database().proxyPool().getConnection();
            }

            public SqsClient sqs() {
                return stack.queues().client();
            }

            public List<QueuePair> pairs() {
                return dlqs(stack);
            }

            public String followerQueueUrl() {
                return stack.queueUrl("ChangesFollowerQueue");
            }

            public Map<String, Integer> followed() {
                return followed;
            }
        };
    }

    static Tally of(String scenario, LocalStack stack, Ledger ledger, Set<String> expectedOutsiders, Map<String, Integer> followed)
            throws Exception {
        return of(scenario, of(stack, followed), ledger, expectedOutsiders);
    }

    static Tally of(String scenario, Source source, Ledger ledger, Set<String> expectedOutsiders) throws Exception {
        Map<String, String[]> outcomes = new HashMap<>();
        Map<String, Integer> bookRows = new HashMap<>();
        Map<String, Integer> reviewRows = new HashMap<>();
        try (Connection c = source.database(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT command_id, status, reason FROM command_outcomes")) {
                while (rs.next()) {
                    outcomes.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT command_id, count(*) FROM books GROUP BY command_id")) {
                while (rs.next()) {
                    bookRows.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT command_id, count(*) FROM reviews GROUP BY command_id")) {
                while (rs.next()) {
                    reviewRows.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        List<String> eventFaults = new ArrayList<>(eventFaults(source, expectedOutsiders));
        eventFaults.addAll(busFaults(source));
        Set<String> inDlqs = new HashSet<>();
        Replayer replayer = new Replayer(source.sqs(), new AuditLog(line -> { }, Clock.systemUTC()), Clock.systemUTC());
        for (QueuePair pair : source.pairs()) {
            for (DlqMessage message : replayer.peek(pair, 1_000_000)) {
                if (message.commandId() != null) {
                    inDlqs.add(message.commandId());
                }
            }
        }
        int applied = 0;
        int rejected = 0;
        int inDlq = 0;
        int lost = 0;
        int duplicated = 0;
        int neverQueued = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        for (Ledger.Entry entry : ledger.entries().values()) {
            String[] outcome = outcomes.get(entry.commandId());
            int rows = (entry.book() ? bookRows : reviewRows).getOrDefault(entry.commandId(), 0);
            if (outcome != null && outcome[0].equals("APPLIED")) {
                if (rows == 1) {
                    applied++;
                } else if (rows == 0) {
                    lost++;
                } else {
                    duplicated++;
                }
            } else if (outcome != null) {
                rejected++;
                reasons.merge(outcome[1], 1, Integer::sum);
                if (rows > 0) {
                    duplicated++;
                }
            } else if (inDlqs.contains(entry.commandId())) {
                inDlq++;
            } else if (!entry.certain() && rows == 0) {
                neverQueued++;
            } else {
                lost++;
            }
        }
        Set<String> outsiders = new HashSet<>(outcomes.keySet());
        outsiders.addAll(bookRows.keySet());
        outsiders.addAll(reviewRows.keySet());
        outsiders.removeAll(ledger.entries().keySet());
        outsiders.removeAll(expectedOutsiders);
        // Commands nobody was told were accepted count once as unaccounted, and once more if written twice.
        for (String outsider : outsiders) {
            if (bookRows.getOrDefault(outsider, 0) + reviewRows.getOrDefault(outsider, 0) > 1) {
                duplicated++;
            }
        }
        long busCopies = source.followed().values().stream().mapToLong(n -> n - 1).sum();
        return new Tally(scenario, ledger.entries().size(), applied, rejected, inDlq, lost, duplicated, outsiders.size(), neverQueued, reasons,
                List.copyOf(eventFaults), busCopies);
    }

    /**
     * What the change feed gets wrong, one line each (at most 20 shown): a change that took a version without exactly one
     * event, an event of a command that made no such change, a resource whose events skip, repeat or reorder versions,
     * or end below the version it is at. Outcomes a test wrote itself ({@code outsiders}, such as retention's seeded
     * ones) made no change and are left out.
     */
    static List<String> eventFaults(Source source, Set<String> outsiders) throws SQLException {
        List<String> faults = new ArrayList<>();
        try (Connection c = source.database(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT o.command_id, o.type, count(e.seq) FROM command_outcomes o"
                    + " LEFT JOIN change_events e ON e.command_id = o.command_id"
                    + " WHERE o.status = 'APPLIED' AND (o.found_version IS NULL OR o.resource_version = o.found_version + 1)"
                    + " GROUP BY o.command_id, o.type HAVING count(e.seq) <> 1")) {
                while (rs.next()) {
                    if (!outsiders.contains(rs.getString(1))) {
                        faults.add(rs.getString(2) + " " + rs.getString(1) + " took a version and has " + rs.getInt(3) + " events");
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT e.command_id, e.type FROM change_events e LEFT JOIN command_outcomes o"
                    + " ON o.command_id = e.command_id AND o.status = 'APPLIED'"
                    + " AND (o.found_version IS NULL OR o.resource_version = o.found_version + 1) WHERE o.command_id IS NULL")) {
                while (rs.next()) {
                    faults.add(rs.getString(2) + " event of " + rs.getString(1) + ", which made no such change");
                }
            }
            Map<String, List<Integer>> versions = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT coalesce(review_id, book_id), version FROM change_events ORDER BY seq")) {
                while (rs.next()) {
                    versions.computeIfAbsent(rs.getString(1), id -> new ArrayList<>()).add(rs.getInt(2));
                }
            }
            Map<String, Integer> current = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT id, version FROM books UNION ALL SELECT id, version FROM reviews")) {
                while (rs.next()) {
                    current.put(rs.getString(1), rs.getInt(2));
                }
            }
            versions.forEach((resource, seen) -> {
                boolean inOrder = true;
                for (int i = 0; i < seen.size(); i++) {
                    inOrder &= seen.get(i) == i + 1;
                }
                if (!inOrder || !Integer.valueOf(seen.size()).equals(current.get(resource))) {
                    faults.add(resource + " has events of versions " + seen + " in feed order and is at version " + current.get(resource));
                }
            });
        }
        return faults.size() > 20 ? List.copyOf(faults.subList(0, 20)) : List.copyOf(faults);
    }

    /**
     * What the bus missed: waits until the publisher has marked every event published, drains the follower queue into
     * {@link Source#followed()}, and names each event of the feed that never reached it (at most 20).
     */
    static List<String> busFaults(Source source) throws Exception {
        long giveUp = System.nanoTime() + PUBLISHED_WITHIN.toNanos();
        long unpublished;
        while ((unpublished = count(source, "SELECT count(*) FROM change_events WHERE published_at IS NULL")) > 0 && System.nanoTime() < giveUp) {
            Thread.sleep(500);
        }
        List<String> faults = new ArrayList<>();
        if (unpublished > 0) {
            faults.add(unpublished + " events still unpublished after " + PUBLISHED_WITHIN.toSeconds() + " s");
        }
        ObjectMapper json = new ObjectMapper();
        // Every event is marked only after the bus delivered it, so the queue already holds them all: one empty long
        // poll ends the drain.
        int emptyReceives = 0;
        while (emptyReceives < 1) {
            var messages = source.sqs().receiveMessage(r -> r.queueUrl(source.followerQueueUrl()).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            emptyReceives = messages.isEmpty() ? emptyReceives + 1 : 0;
            for (var message : messages) {
                source.followed().merge(json.readTree(message.body()).at("/detail/eventId").asText(), 1, Integer::sum);
            }
            if (!messages.isEmpty()) {
                source.sqs().deleteMessageBatch(r -> r.queueUrl(source.followerQueueUrl()).entries(messages.stream()
                        .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
            }
        }
        try (Connection c = source.database(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id, seq, type FROM change_events ORDER BY seq")) {
            while (rs.next() && faults.size() < 20) {
                if (!source.followed().containsKey(rs.getString(1))) {
                    faults.add(rs.getString(3) + " event " + rs.getString(1) + " (seq " + rs.getLong(2) + ") never reached ChangesFollowerQueue");
                }
            }
        }
        return faults;
    }

    private static long count(Source source, String sql) throws SQLException {
        try (Connection c = source.database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<QueuePair> dlqs(LocalStack stack) {
        return List.of(
                new QueuePair("books", stack.queueUrl("BooksQueue"), stack.queueUrl("BooksDeadLetterQueue")),
                new QueuePair("reviews", stack.queueUrl("ReviewsQueue"), stack.queueUrl("ReviewsDeadLetterQueue")));
    }

    @Override
    public String toString() {
        return scenario + ": " + commands + " commands accepted: " + applied + " applied, " + rejected + " rejected " + reasons + ", "
                + inDlq + " in a DLQ, " + lost + " lost, " + duplicated + " duplicated, " + unaccounted + " unaccounted"
                + (neverQueued > 0 ? ", " + neverQueued + " of the 503s that said 'may have been queued' never queued" : "")
                + "; change feed: " + (eventFaults.isEmpty() ? "one event per change, versions in order, each on the bus" + (busCopies > 0
                ? " (" + busCopies + " sent again)" : "") : eventFaults.size() + " faults " + eventFaults);
    }
}
