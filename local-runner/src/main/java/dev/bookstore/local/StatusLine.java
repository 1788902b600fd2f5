package dev.bookstore.local;

import dev.bookstore.local.db.LocalDatabase;
import dev.bookstore.local.lambda.SqsEventSource;
import dev.bookstore.local.sqs.LocalQueues;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A compact line every few seconds, only when something changed: queue and DLQ depths, applied and rejected commands. */
final class StatusLine implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private String last = "";

    private StatusLine(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static StatusLine start(LocalQueues queues, List<SqsEventSource> sources, LocalDatabase database, Duration every, PrintStream console) {
        if (every.isZero() || every.isNegative()) {
            return new StatusLine(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "status-line");
            thread.setDaemon(true);
            return thread;
        });
        StatusLine status = new StatusLine(timer);
        timer.scheduleWithFixedDelay(() -> status.print(queues, database, console), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return status;
    }

    private void print(LocalQueues queues, LocalDatabase database, PrintStream console) {
        try {
            StringJoiner line = new StringJoiner("  ");
            queues.queues().values().forEach(q -> line.add(q.name() + " " + queues.depth(q.logicalId())));
            try (Connection c = database.proxyPool().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE status = 'APPLIED'), count(*) FILTER (WHERE status = 'REJECTED') "
                         + "FROM command_outcomes")) {
                rs.next();
                line.add("applied " + rs.getLong(1)).add("rejected " + rs.getLong(2));
            }
            String text = line.toString();
            if (!text.equals(last)) {
                last = text;
                console.println(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "  " + text);
            }
        } catch (Exception e) {
            console.println("status: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
