package dev.bookstore.replay.cli;

import dev.bookstore.replay.DlqMessage;
import dev.bookstore.replay.QueuePair;
import dev.bookstore.replay.Replayer;
import dev.bookstore.replay.Selection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Send selected DLQ messages back to their source queue, deleting each only after its copy is sent. Audited.")
final class ReplayCommand implements Callable<Integer> {

    @ParentCommand
    BookstoreDlq parent;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--queue", required = true, description = "books or reviews")
    String queue;

    @Option(names = "--all", description = "every message")
    boolean all;

    @Option(names = "--message-id", description = "this message (repeatable)")
    Set<String> messageIds = Set.of();

    @Option(names = "--command-id", description = "the message(s) of this command (repeatable)")
    Set<String> commandIds = Set.of();

    @Option(names = "--type", description = "CreateBook or CreateReview")
    String type;

    @Option(names = "--older-than", description = "sent longer ago than this, e.g. PT1H or 30m")
    String olderThan;

    @Option(names = "--newer-than", description = "sent within this, e.g. PT10M or 10m")
    String newerThan;

    @Option(names = "--max", description = "at most this many")
    Integer max;

    @Option(names = "--rate", paramLabel = "N", description = "at most N messages a second (default: no limit)")
    double rate;

    @Option(names = "--dry-run", description = "show what would be moved; change nothing")
    boolean dryRun;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    @Option(names = "--native", description = "with --all: SQS's own StartMessageMoveTask (fast; no selection, dry run or per-message audit)")
    boolean nativeMove;

    @Override
    public Integer call() throws Exception {
        Selection selection = new Selection(all, messageIds, commandIds, type, duration(olderThan, "--older-than"),
                duration(newerThan, "--newer-than"), max);
        if (!selection.chosen()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "choose what to replay: --all, or --message-id, --command-id, --type, --older-than or --newer-than");
        }
        if (nativeMove && (!all || !selection.toString().equals("all") || dryRun)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--native moves everything: use it with --all alone, without --dry-run");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (SqsClient sqs = parent.sqs()) {
            QueuePair pair = parent.queue(sqs, queue, spec.commandLine());
            Replayer replayer = parent.replayer(sqs);
            if (!dryRun && !yes && !confirm(out, pair, selection)) {
                out.println("Nothing moved.");
                return 0;
            }
            if (nativeMove) {
                ListMessageMoveTasksResultEntry task = replayer.nativeMove(pair, rate > 0 ? (int) Math.ceil(rate) : null,
                        (moved, remaining, perSecond) -> err.printf("\rmoved %d, remaining %d   ", moved, remaining), Duration.ofHours(1));
                err.println();
                out.println("move task " + task.status() + ": " + task.approximateNumberOfMessagesMoved() + " moved"
                        + (task.failureReason() == null ? "" : "; " + task.failureReason()));
                return "COMPLETED".equals(task.status()) ? 0 : 1;
            }
            AtomicBoolean stop = new AtomicBoolean();
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> stop.set(true));
            Replayer.Result result = replayer.replay(pair, selection, rate, dryRun,
                    (moved, remaining, perSecond) -> err.printf("\rmoved %d, %.1f/s, about %d remaining   ", moved, perSecond, remaining), stop::get);
            if (!dryRun) {
                err.println();
            }
            if (dryRun) {
                for (DlqMessage message : result.wouldMove()) {
                    out.println("would move " + message.messageId() + "  " + (message.decodable() ? message.type() + " " + message.commandId() : "(undecodable)"));
                }
                out.println("dry run: " + result.selected() + " message(s) would move from " + pair.dlqUrl() + " to " + pair.sourceUrl()
                        + "; nothing changed");
                return 0;
            }
            result.failures().forEach(failure -> err.println("failed: " + failure));
            out.println("moved " + result.moved() + " of " + result.selected() + " selected" + (result.failed() > 0 ? ", " + result.failed()
                    + " failed (still in the DLQ)" : "") + (stop.get() ? "; stopped by Ctrl-C" : "") + "; audit in " + parent.auditFile);
            return result.complete() ? 0 : 1;
        }
    }

    private boolean confirm(PrintWriter out, QueuePair pair, Selection selection) throws Exception {
        out.print("Replay [" + selection + "] from " + pair.dlqUrl() + " to " + pair.sourceUrl() + "? [y/N] ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && (answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes"));
    }

    private Duration duration(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            if (text.matches("\\d+[smhd]")) {
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                switch (text.charAt(text.length() - 1)) {
                    case 's':
                        return Duration.ofSeconds(amount);
                    case 'm':
                        return Duration.ofMinutes(amount);
                    case 'h':
                        return Duration.ofHours(amount);
                    default:
                        return Duration.ofDays(amount);
                }
            }
            return Duration.parse(text);
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " takes a duration such as 30m, 2h, 7d or PT1H, not " + text);
        }
    }
}
