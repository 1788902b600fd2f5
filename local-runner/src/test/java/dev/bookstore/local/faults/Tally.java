package dev.bookstore.local.faults;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The accounting after a scenario, the way queueing systems are checked: every command in the ledger is
 * applied once (its one row readable), rejected with a reason, or in a DLQ; anything else is lost, and
 * any second row, or any outcome nobody was told was accepted, is a duplicate or worse. A command the API
 * said may have been queued and that left no trace anywhere was never queued: not lost, counted apart.
 */
record Tally(String scenario, int commands, int applied, int rejected, int inDlq, int lost, int duplicated, int unaccounted,
             int neverQueued, Map<String, Integer> reasons) {

    /** The facts a tally is made of: the database, and SQS with the stack's queue pairs. */
    interface Source {
        Connection database() throws SQLException;

        SqsClient sqs();

        List<QueuePair> pairs();
    }

    static Source of(LocalStack stack) {
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
        };
    }

    static Tally of(String scenario, LocalStack stack, Ledger ledger, Set<String> expectedOutsiders) throws Exception {
        return of(scenario, of(stack), ledger, expectedOutsiders);
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
        return new Tally(scenario, ledger.entries().size(), applied, rejected, inDlq, lost, duplicated, outsiders.size(), neverQueued, reasons);
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
                + (neverQueued > 0 ? ", " + neverQueued + " of the 503s that said 'may have been queued' never queued" : "");
    }
}
