package dev.bookstore.replay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.replay.DlqMessage;
import dev.bookstore.replay.OutcomeLookup;
import dev.bookstore.replay.QueuePair;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;

@Command(name = "peek", mixinStandardHelpOptions = true,
        description = "Show DLQ messages without consuming them: the decoded command and its recorded outcome. Released right after reading.")
final class PeekCommand implements Callable<Integer> {

    private static final int RAW_PREFIX = 200;

    @ParentCommand
    BookstoreDlq parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--queue", required = true, description = "books or reviews")
    String queue;

    @Option(names = "--max", description = "at most this many (default: ${DEFAULT-VALUE})")
    int max = 20;

    @Option(names = "--json", description = "one JSON object per message")
    boolean json;

    @Override
    public Integer call() {
        try (SqsClient sqs = parent.sqs(); OutcomeLookup outcomes = parent.outcomes()) {
            QueuePair pair = parent.queue(sqs, queue, spec.commandLine());
            List<DlqMessage> messages = parent.replayer(sqs).peek(pair, max);
            PrintWriter out = spec.commandLine().getOut();
            for (DlqMessage message : messages) {
                ObjectNode view = view(message, outcomes);
                out.println(json ? view.toString() : text(view));
            }
            if (!json) {
                out.println(messages.size() + " message(s) in " + pair.dlqUrl() + (messages.size() == max ? " (more may follow; --max)" : ""));
            }
        }
        return 0;
    }

    private static ObjectNode view(DlqMessage message, OutcomeLookup outcomes) {
        ObjectNode view = JsonNodeFactory.instance.objectNode()
                .put("messageId", message.messageId())
                .put("receiveCount", message.receiveCount())
                .put("sentAt", message.sentAt() == null ? null : message.sentAt().toString())
                .put("replayCount", message.replayCount());
        JsonNode envelope = message.envelope();
        if (envelope == null) {
            String body = message.body();
            view.put("undecodable", true).put("raw", body.length() <= RAW_PREFIX ? body : body.substring(0, RAW_PREFIX) + "…");
            return view;
        }
        view.put("type", envelope.path("type").asText(null)).put("version", envelope.path("version").asText(null))
                .put("commandId", envelope.path("commandId").asText(null));
        ObjectNode payload = view.putObject("payload");
        for (String field : new String[] {"bookId", "title", "author", "reviewId", "reviewer", "rating"}) {
            if (envelope.path("payload").has(field)) {
                payload.set(field, envelope.path("payload").get(field));
            }
        }
        view.put("outcome", outcomes.describe(message.commandId()));
        return view;
    }

    private static String text(ObjectNode view) {
        StringBuilder text = new StringBuilder(view.get("messageId").asText()).append("  received ").append(view.get("receiveCount").asInt())
                .append("x, sent ").append(view.path("sentAt").asText("?"));
        if (view.path("replayCount").asInt() > 0) {
            text.append(", replayed ").append(view.get("replayCount").asInt()).append("x");
        }
        if (view.has("undecodable")) {
            return text.append("\n  UNDECODABLE: ").append(view.get("raw").asText()).toString();
        }
        return text.append("\n  ").append(view.path("type").asText()).append(" v").append(view.path("version").asText())
                .append("  command ").append(view.path("commandId").asText()).append("  ").append(view.get("payload"))
                .append("\n  outcome: ").append(view.path("outcome").asText()).toString();
    }
}
