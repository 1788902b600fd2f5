package dev.bookstore.replay.cli;

import dev.bookstore.replay.QueuePair;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;

@Command(name = "discard", mixinStandardHelpOptions = true,
        description = "Delete one DLQ message that can never succeed, after writing its full body and attributes to the audit file.")
final class DiscardCommand implements Callable<Integer> {

    @ParentCommand
    BookstoreDlq parent;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--queue", required = true, description = "books or reviews")
    String queue;

    @Option(names = "--message-id", required = true)
    String messageId;

    @Option(names = "--yes", description = "required: discarding cannot be undone (except from the audit file)")
    boolean yes;

    @Override
    public Integer call() {
        if (!yes) {
            throw new CommandLine.ParameterException(spec.commandLine(), "discard deletes the message; confirm with --yes");
        }
        try (SqsClient sqs = parent.sqs()) {
            QueuePair pair = parent.queue(sqs, queue, spec.commandLine());
            if (!parent.replayer(sqs).discard(pair, messageId)) {
                spec.commandLine().getErr().println("no message " + messageId + " in " + pair.dlqUrl());
                return 1;
            }
            spec.commandLine().getOut().println("discarded " + messageId + "; its content is in " + parent.auditFile);
            return 0;
        }
    }
}
