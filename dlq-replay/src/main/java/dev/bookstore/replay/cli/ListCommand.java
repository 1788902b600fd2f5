package dev.bookstore.replay.cli;

import dev.bookstore.replay.QueuePair;
import dev.bookstore.replay.Replayer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;

@Command(name = "list", mixinStandardHelpOptions = true, description = "Each source queue with its DLQ: depth and the oldest message's age.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    BookstoreDlq parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (SqsClient sqs = parent.sqs()) {
            Replayer replayer = parent.replayer(sqs);
            var out = spec.commandLine().getOut();
            out.printf("%-10s %-8s %-10s %-22s %s%n", "QUEUE", "DLQ", "IN FLIGHT", "OLDEST", "DLQ URL");
            for (QueuePair queue : parent.queues(sqs).values()) {
                Replayer.Depth depth = replayer.depth(queue, 100);
                String oldest = depth.oldestSent() == null ? "-"
                        : age(Duration.between(depth.oldestSent(), Instant.now())) + (depth.sampled() < depth.messages() ? " (of " + depth.sampled() + " seen)" : "");
                out.printf("%-10s %-8d %-10d %-22s %s%n", queue.name(), depth.messages(), depth.inFlight(), oldest, queue.dlqUrl());
            }
        }
        return 0;
    }

    static String age(Duration age) {
        if (age.toDays() > 0) {
            return age.toDays() + "d " + age.toHoursPart() + "h";
        }
        if (age.toHours() > 0) {
            return age.toHours() + "h " + age.toMinutesPart() + "m";
        }
        return age.toMinutes() + "m " + age.toSecondsPart() + "s";
    }
}
