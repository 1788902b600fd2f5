package dev.bookstore.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.command.CommandIds;
import dev.bookstore.replay.cli.BookstoreDlq;
import dev.bookstore.testkit.CommandMessages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The replay suite; run against ElasticMQ and against moto_server, two independent SQS implementations. */
abstract class ReplaySuite {

    private static final ObjectMapper JSON = new ObjectMapper();

    QueuePair queue;
    Path audit;

    abstract SqsClient sqs();

    abstract String endpoint();

    @BeforeEach
    void freshQueues() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String source = sqs().createQueue(r -> r.queueName("source-" + suffix)).queueUrl();
        String dlq = sqs().createQueue(r -> r.queueName("source-" + suffix + "-dlq")).queueUrl();
        queue = new QueuePair("given", source, dlq);
        audit = Files.createTempDirectory("audit").resolve("dlq-audit.jsonl");
    }

    /** How many messages the bulk replay moves: enough for several receive batches of ten and several pages of the audit. */
    int bulk() {
        return 500;
    }

    @Test
    void aBulkReplayLosesNoneAndDuplicatesNone() throws Exception {
        Set<String> bodies = new HashSet<>();
        for (int i = 0; i < bulk(); i++) {
            String body = CommandMessages.json(CommandMessages.book("Book " + i));
            bodies.add(body);
            dead(body);
        }

        Outcome result = cli("replay", "--all", "--yes");

        assertThat(result.code()).as(result.err()).isZero();
        List<Message> replayed = drain(queue.sourceUrl());
        assertThat(replayed).extracting(Message::body).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(replayed).allSatisfy(m -> assertThat(m.messageAttributes().get("replayCount").stringValue()).isEqualTo("1"));
        assertThat(depth(queue.dlqUrl())).isZero();
        assertThat(Files.readAllLines(audit)).hasSize(bulk()).allSatisfy(line -> assertThat(JSON.readTree(line).get("action").asText()).isEqualTo("moved"));
    }

    @Test
    void aFilteredReplayMovesOnlyWhatMatchesAndADryRunChangesNothing() throws Exception {
        UUID book = CommandIds.fresh();
        List<String> reviews = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            dead(CommandMessages.json(CommandMessages.book("Book " + i)));
            String review = CommandMessages.json(CommandMessages.review(book, 3));
            reviews.add(review);
            dead(review);
        }
        String chosenCommand = JSON.readTree(reviews.get(0)).get("commandId").asText();

        Outcome dryRun = cli("replay", "--type", "CreateReview", "--dry-run");
        int afterDryRun = depth(queue.dlqUrl()) + depth(queue.sourceUrl());
        Outcome one = cli("replay", "--command-id", chosenCommand, "--yes");
        Outcome rest = cli("replay", "--type", "CreateReview", "--yes");

        assertThat(dryRun.code()).isZero();
        assertThat(dryRun.out()).contains("dry run: 5 message(s) would move");
        assertThat(afterDryRun).as("nothing moved by the dry run").isEqualTo(10);
        assertThat(one.out()).contains("moved 1 of 1 selected");
        assertThat(rest.out()).contains("moved 4 of 4 selected");
        assertThat(drain(queue.sourceUrl())).extracting(Message::body).containsExactlyInAnyOrderElementsOf(reviews);
        assertThat(depth(queue.dlqUrl())).isEqualTo(5);
        assertThat(Files.readAllLines(audit)).hasSize(5);
    }

    @Test
    void aCrashBetweenSendAndDeleteLeavesTheMessageInBothQueuesNeverInNeither() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = CommandMessages.json(CommandMessages.book("Book " + i));
            bodies.add(body);
            dead(body);
        }
        int[] sends = {0};
        Replayer crashing = new Replayer(sqs(), AuditLog.toFile(audit, Clock.systemUTC()), Clock.systemUTC(), (original, newId) -> {
            if (++sends[0] == 3) {
                throw new IllegalStateException("the process died here");
            }
        });

        assertThatThrownBy(() -> crashing.replay(queue, Selection.everything(), 0, false, (m, r, s) -> { }, () -> false))
                .hasMessage("the process died here");

        List<String> inSource = drain(queue.sourceUrl()).stream().map(Message::body).toList();
        List<String> inDlq = drain(queue.dlqUrl()).stream().map(Message::body).toList();
        assertThat(inSource).hasSize(3);
        assertThat(inDlq).hasSize(3);
        List<String> everywhere = new ArrayList<>(inSource);
        everywhere.addAll(inDlq);
        assertThat(new HashSet<>(everywhere)).as("every message is somewhere").containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(inSource).filteredOn(inDlq::contains).as("the one caught between send and delete is in both").hasSize(1);
    }

    @Test
    void theAuditFileRecordsEveryMoveAndEveryDiscardWithItsContent() throws Exception {
        String kept = CommandMessages.json(CommandMessages.book("Kept"));
        String poison = "not a command at all";
        dead(kept);
        String poisonId = sqs().sendMessage(r -> r.queueUrl(queue.dlqUrl()).messageBody(poison).messageAttributes(Map.of("type",
                MessageAttributeValue.builder().dataType("String").stringValue("Mystery").build()))).messageId();

        Outcome discarded = cli("discard", "--message-id", poisonId, "--yes");
        Outcome moved = cli("replay", "--all", "--yes");

        assertThat(discarded.code()).isZero();
        assertThat(moved.code()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(2);
        JsonNode discard = lines.get(0);
        assertThat(discard.get("action").asText()).isEqualTo("discarded");
        assertThat(discard.get("messageId").asText()).isEqualTo(poisonId);
        assertThat(discard.get("body").asText()).isEqualTo(poison);
        assertThat(discard.at("/attributes/type/stringValue").asText()).isEqualTo("Mystery");
        JsonNode move = lines.get(1);
        assertThat(move.get("action").asText()).isEqualTo("moved");
        assertThat(move.get("newMessageId").asText()).isNotBlank();
        assertThat(move.get("commandId").asText()).isEqualTo(JSON.readTree(kept).get("commandId").asText());
        assertThat(move.get("from").asText()).isEqualTo(queue.dlqUrl());
        assertThat(move.get("to").asText()).isEqualTo(queue.sourceUrl());
        assertThat(move.get("at").asText()).isNotBlank();
    }

    @Test
    void peekShowsEachMessageDecodedAndLeavesItInTheQueue() throws Exception {
        String book = CommandMessages.json(CommandMessages.book("Peeked"));
        dead(book);
        dead("{broken json");

        Outcome peek = cli("peek", "--json", "--max", "10");
        Outcome list = cli("list");

        assertThat(peek.code()).isZero();
        List<JsonNode> views = new ArrayList<>();
        for (String line : peek.out().strip().split("\n")) {
            views.add(JSON.readTree(line));
        }
        assertThat(views).hasSize(2);
        assertThat(views).anySatisfy(view -> {
            assertThat(view.path("type").asText()).isEqualTo("CreateBook");
            assertThat(view.at("/payload/title").asText()).isEqualTo("Peeked");
            assertThat(view.get("commandId").asText()).isEqualTo(JSON.readTree(book).get("commandId").asText());
            assertThat(view.get("outcome").asText()).contains("no --database-url");
        });
        assertThat(views).anySatisfy(view -> {
            assertThat(view.path("undecodable").asBoolean()).isTrue();
            assertThat(view.get("raw").asText()).isEqualTo("{broken json");
        });
        assertThat(depth(queue.dlqUrl())).as("released after reading").isEqualTo(2);
        assertThat(list.out()).contains(queue.dlqUrl()).containsPattern("given\\s+2");
    }

    @Test
    void usageErrorsExitWithTwoAndChangeNothing() {
        dead(CommandMessages.json(CommandMessages.book("Stays")));

        assertThat(cli("replay", "--yes").code()).as("no selection").isEqualTo(2);
        assertThat(cli("replay", "--all", "--older-than", "soon", "--yes").code()).isEqualTo(2);
        assertThat(cli("discard", "--message-id", "x").code()).as("discard without --yes").isEqualTo(2);
        assertThat(depth(queue.dlqUrl())).isEqualTo(1);
    }

    /**
     * A review replayed before its book would only wait for it: asked for both, the CLI replays books first; asked for
     * reviews alone while the books DLQ holds messages, it refuses without --force and moves nothing.
     */
    @Test
    void booksAreReplayedBeforeReviewsAndReviewsAloneNeedForceWhileBooksWait() throws Exception {
        String prefix = "order-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> urls = new java.util.HashMap<>();
        for (String name : List.of("books-commands", "books-commands-dlq", "reviews-commands", "reviews-commands-dlq")) {
            urls.put(name, sqs().createQueue(r -> r.queueName(prefix + "-" + name)).queueUrl());
        }
        var book = CommandMessages.envelope(CommandMessages.book("Held"));
        String review = CommandMessages.json(CommandMessages.envelope(CommandMessages.review(
                ((dev.bookstore.command.CreateBook) book.payload()).bookId(), 4)));
        sqs().sendMessage(r -> r.queueUrl(urls.get("books-commands-dlq")).messageBody(CommandMessages.json(book)));
        sqs().sendMessage(r -> r.queueUrl(urls.get("reviews-commands-dlq")).messageBody(review));

        Outcome refused = byName(prefix, "replay", "--queue", "reviews", "--all", "--yes");
        int reviewsLeftAfterRefusal = depth(urls.get("reviews-commands-dlq"));
        Outcome both = byName(prefix, "replay", "--queue", "reviews,books", "--all", "--yes");
        List<String> order = Files.readAllLines(audit).stream().map(line -> {
            try {
                return JSON.readTree(line).get("queue").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        sqs().sendMessage(r -> r.queueUrl(urls.get("books-commands-dlq")).messageBody(CommandMessages.json(book)));
        sqs().sendMessage(r -> r.queueUrl(urls.get("reviews-commands-dlq")).messageBody(review));
        Outcome forced = byName(prefix, "replay", "--queue", "reviews", "--all", "--yes", "--force");

        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("books DLQ holds 1 message").contains("--force");
        assertThat(reviewsLeftAfterRefusal).as("nothing moved").isEqualTo(1);
        assertThat(both.code()).as(both.err()).isZero();
        assertThat(order).containsExactly("books", "reviews");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(depth(urls.get("reviews-commands-dlq"))).isZero();
        assertThat(depth(urls.get("books-commands-dlq"))).as("--force replays what was asked, no more").isEqualTo(1);
    }

    /** The CLI finding its queues by name, as against the local runner. */
    Outcome byName(String prefix, String... arguments) {
        List<String> args = new ArrayList<>(List.of(arguments));
        args.addAll(1, List.of("--endpoint-url", endpoint(), "--queue-prefix", prefix, "--audit-file", audit.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BookstoreDlq.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    void dead(String body) {
        sqs().sendMessage(r -> r.queueUrl(queue.dlqUrl()).messageBody(body));
    }

    int depth(String url) {
        Map<QueueAttributeName, String> attributes = sqs().getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Every message of a queue, each received once and deleted. */
    List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        int empty = 0;
        while (empty < 2) {
            List<Message> batch = sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(60)
                    .messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                empty++;
                continue;
            }
            empty = 0;
            all.addAll(batch);
            batch.forEach(m -> sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
        }
        return all;
    }

    record Outcome(int code, String out, String err) {
    }

    Outcome cli(String... arguments) {
        List<String> args = new ArrayList<>(List.of(arguments));
        int at = 1;
        for (String common : new String[] {"--endpoint-url", endpoint(), "--source-url", queue.sourceUrl(), "--dlq-url", queue.dlqUrl(),
                "--audit-file", audit.toString()}) {
            args.add(at++, common);
        }
        if (!args.get(0).equals("list")) {
            args.add(at, "--queue");
            args.add(at + 1, "given");
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BookstoreDlq.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }
}
