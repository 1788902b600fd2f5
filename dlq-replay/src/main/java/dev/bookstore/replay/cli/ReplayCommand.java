package dev.bookstore.replay.cli;

import dev.bookstore.replay.DlqMessage;
import dev.bookstore.replay.QueueDirectory;
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

    @Option(names = "--queue", required = true, split = ",", paramLabel = "QUEUE",
            description = "books, reviews, or books,reviews: books are always replayed first, since a review needs its book")
    List<String> queues;

    @Option(names = "--force", description = "replay reviews although the books DLQ holds messages")
    boolean force;

    private final AtomicBoolean stop = new AtomicBoolean();

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
        try (SqsClient sqs = parent.sqs()) {
            Replayer replayer = parent.replayer(sqs);
            int code = 0;
            boolean booksEmptied = false;
            for (String name : inDependencyOrder(queues)) {
                int booksWaiting = name.equals("reviews") && !force && !dryRun && !booksEmptied ? booksWaiting(sqs, replayer) : 0;
                if (booksWaiting > 0) {
                    spec.commandLine().getErr().println("The books DLQ holds " + booksWaiting + " message(s): replay them first "
                            + "(--queue books,reviews), or pass --force. A review replayed before its book waits for it, 12 hours by "
                            + "default, and is then rejected BOOK_NOT_FOUND. Reviews not replayed.");
                    return 1;
                }
                Replayer.Result result = replayOne(sqs, replayer, name, selection);
                if (result == null || stop.get()) {
                    return code; // declined, or stopped by Ctrl-C: the rest stays where it is
                }
                booksEmptied |= name.equals("books") && selection.toString().equals("all") && result.complete();
                code = Math.max(code, result.complete() ? 0 : 1);
            }
            return code;
        }
    }

    /** The queues asked for, books before reviews (a review replayed first would only wait for its book). */
    private static List<String> inDependencyOrder(List<String> asked) {
        List<String> ordered = new java.util.ArrayList<>();
        QueueDirectory.QUEUES.stream().filter(asked::contains).forEach(ordered::add);
        asked.stream().filter(name -> !ordered.contains(name)).distinct().forEach(ordered::add); // e.g. "given" in tests
        return ordered;
    }

    private int booksWaiting(SqsClient sqs, Replayer replayer) {
        return replayer.depth(parent.queue(sqs, "books", spec.commandLine()), 0).messages();
    }

    /** Replays one queue's DLQ; null when the operator declined. */
    private Replayer.Result replayOne(SqsClient sqs, Replayer replayer, String name, Selection selection) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        QueuePair pair = parent.queue(sqs, name, spec.commandLine());
        if (!dryRun && !yes && !confirm(out, pair, selection)) {
            out.println("Nothing moved.");
            return null;
        }
        if (nativeMove) {
            ListMessageMoveTasksResultEntry task = replayer.nativeMove(pair, rate > 0 ? (int) Math.ceil(rate) : null,
                    (moved, remaining, perSecond) -> err.printf("\rmoved %d, remaining %d   ", moved, remaining), Duration.ofHours(1));
            err.println();
            out.println(name + ": move task " + task.status() + ": " + task.approximateNumberOfMessagesMoved() + " moved"
                    + (task.failureReason() == null ? "" : "; " + task.failureReason()));
            boolean completed = "COMPLETED".equals(task.status());
            return new Replayer.Result(0, 0, completed ? 0 : 1, List.of(), List.of());
        }
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> stop.set(true));
        Replayer.Result result = replayer.replay(pair, selection, rate, dryRun,
                (moved, remaining, perSecond) -> err.printf("\rmoved %d, %.1f/s, about %d remaining   ", moved, perSecond, remaining), stop::get);
        if (dryRun) {
            for (DlqMessage message : result.wouldMove()) {
                out.println("would move " + message.messageId() + "  " + (message.decodable() ? message.type() + " " + message.commandId() : "(undecodable)"));
            }
            out.println("dry run: " + result.selected() + " message(s) would move from " + pair.dlqUrl() + " to " + pair.sourceUrl()
                    + "; nothing changed");
            return new Replayer.Result(result.selected(), 0, 0, List.of(), List.of());
        }
        err.println();
        result.failures().forEach(failure -> err.println("failed: " + failure));
        out.println(name + ": moved " + result.moved() + " of " + result.selected() + " selected" + (result.failed() > 0 ? ", " + result.failed()
                + " failed (still in the DLQ)" : "") + (stop.get() ? "; stopped by Ctrl-C" : "") + "; audit in " + parent.auditFile);
        return result;
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
