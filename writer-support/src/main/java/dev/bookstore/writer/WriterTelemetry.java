package dev.bookstore.writer;

import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A JSON log line per message and per batch, and the batch's counts as CloudWatch metrics. */
public final class WriterTelemetry {

    private final LogLine log;
    private final Metrics metrics;
    private final Clock clock;

    public WriterTelemetry(LogLine log, Metrics metrics, Clock clock) {
        this.log = log;
        this.metrics = metrics;
        this.clock = clock;
    }

    public static WriterTelemetry toStdout(String service) {
        return new WriterTelemetry(LogLine.toStdout(service), Metrics.toStdout(service), Clock.systemUTC());
    }

    void batch(List<? extends Delivery<?>> deliveries, double millis) {
        metrics.coldStart();
        Map<Disposition, Integer> counts = new EnumMap<>(Disposition.class);
        Map<String, Integer> rejectedBy = new TreeMap<>();
        for (Delivery<?> delivery : deliveries) {
            message(delivery);
            counts.merge(delivery.ended().disposition(), 1, Integer::sum);
            if (delivery.ended().disposition() == Disposition.REJECTED) {
                rejectedBy.merge(delivery.ended().reason(), 1, Integer::sum);
            }
        }
        LogLine.Entry line = log.info("batch written").with("messages", deliveries.size()).latency(millis);
        counts.forEach((disposition, count) -> line.with(disposition.name().toLowerCase(), count));
        line.write();
        metrics.line()
                .count("Applied", counts.getOrDefault(Disposition.APPLIED, 0))
                .count("Duplicates", counts.getOrDefault(Disposition.DUPLICATE, 0))
                .count("Retried", counts.getOrDefault(Disposition.RETRY, 0))
                .count("Unsupported", counts.getOrDefault(Disposition.UNSUPPORTED, 0))
                .millis("BatchLatency", millis)
                .write();
        rejectedBy.forEach((reason, count) -> metrics.line("Reason", reason).count("Rejected", count).write());
    }

    private void message(Delivery<?> delivery) {
        Delivery.Fate.Ended<?> ended = delivery.ended();
        LogLine.Entry line = ended.disposition().failed() ? log.warn("message returned to the queue") : log.info("message settled");
        line.with("messageId", delivery.messageId())
                .with("commandId", delivery.commandId())
                .with("correlationId", delivery.correlationId())
                .with("traceId", delivery.traceId())
                .with("type", delivery.type())
                .with("outcome", ended.disposition())
                .with("reason", ended.reason())
                .with("detail", ended.detail())
                .with("databaseError", ended.databaseError())
                .with("receiveCount", delivery.receiveCount());
        if (ended.redeliverIn() != null) {
            line.with("redeliverInSeconds", ended.redeliverIn().toSeconds());
        }
        if (delivery.issuedAt() != null) {
            line.with("ageMs", Duration.between(delivery.issuedAt(), clock.instant()).toMillis());
        }
        line.write();
    }
}
