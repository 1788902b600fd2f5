package dev.bookstore.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.command.BookPatch;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.DeleteBook;
import dev.bookstore.command.DeleteReview;
import dev.bookstore.command.Payload;
import dev.bookstore.command.ReviewPatch;
import dev.bookstore.command.UpdateBook;
import dev.bookstore.command.UpdateReview;
import dev.bookstore.domain.OrderKey;
import dev.bookstore.local.Http;
import dev.bookstore.testkit.CommandMessages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * An ordering checker in the spirit of Jepsen's register checkers. Clients send creates, patches (some with If-Match)
 * and deletes of a few books and reviews through the API, while the test sends more straight to the queues, issued at
 * shuffled times, duplicated and shuffled. After draining, every resource must be what applying its accepted commands
 * in {@code (issuedAt, commandId)} order gives: field by field the value of the newest command that set it, the version
 * one more per applied change, a deleted one gone for good. A conditional command must be applied exactly when the
 * version it found (recorded in its outcome) was the one it named, and every accepted command must have an outcome.
 */
class CommandOrderCheckerIT {

    private static final int BOOKS = 10;
    private static final int REVIEWS_PER_BOOK = 3;
    private static final int CLIENTS = 6;
    private static final int REQUESTS_PER_CLIENT = 150;
    private static final int DIRECT_COMMANDS = 1500;
    private static final List<String> BOOK_FIELDS = List.of("title", "author", "publisher", "year");

    /** One accepted command, as the checker replays it. */
    record Command(UUID id, Instant issuedAt, String type, UUID resource, UUID book, Map<String, Object> sets, Integer ifMatch) {
        OrderKey key() {
            return new OrderKey(issuedAt, id);
        }

        boolean deletes() {
            return type.startsWith("Delete");
        }
    }

    private final Map<UUID, Command> accepted = new ConcurrentHashMap<>();

    @Test
    void everyBookAndReviewIsWhatItsCommandsGiveInKeyOrder() throws Exception {
        List<String> problems = new ArrayList<>();
        String summary;
        try (FaultSuiteIT.Run run = FaultSuiteIT.Run.start("ordering")) {
            Map<UUID, List<UUID>> reviewsOf = create(run.http);
            run.drain();
            List<UUID> books = new ArrayList<>(reviewsOf.keySet());

            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> sent = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int seed = client;
                sent.add(clients.submit(() -> {
                    send(run.http, new Random(seed), books, reviewsOf);
                    return null;
                }));
            }
            List<String> direct = directCommands(new Random(99), books, reviewsOf);
            run.send("BooksQueue", direct.stream().filter(CommandOrderCheckerIT::aboutABook).toList());
            run.send("ReviewsQueue", direct.stream().filter(m -> !aboutABook(m)).toList());
            for (Future<?> client : sent) {
                client.get();
            }
            clients.shutdown();
            run.drain();

            Map<UUID, JsonNode> outcomes = outcomes(run);
            accepted.values().forEach(command -> {
                if (!outcomes.containsKey(command.id())) {
                    problems.add("no outcome for " + command);
                }
            });
            problems.addAll(conditionsHeld(outcomes));
            int deletedBooks = 0;
            for (UUID book : books) {
                deletedBooks += checkBook(run.http, book, outcomes, problems) ? 1 : 0;
                for (UUID review : reviewsOf.get(book)) {
                    checkReview(run.http, book, review, outcomes, problems);
                }
            }
            long applied = outcomes.values().stream().filter(o -> o.path("status").asText().equals("APPLIED")).count();
            Map<String, Long> reasons = new java.util.TreeMap<>(outcomes.values().stream().filter(o -> !o.path("reason").isNull()
                    && !o.path("reason").asText().isEmpty()).collect(java.util.stream.Collectors.groupingBy(o -> o.path("reason").asText(),
                    java.util.stream.Collectors.counting())));
            summary = "ordering: " + accepted.size() + " commands accepted (" + (outcomes.size() - applied)
                    + " rejected " + reasons + "), " + deletedBooks + " of " + BOOKS + " books deleted; " + problems.size() + " resources or outcomes "
                    + "differ from the replay in (issuedAt, commandId) order";
        }
        // After the run: while it runs, the local runner owns System.out.
        System.out.println(summary);
        problems.stream().limit(20).forEach(p -> System.out.println("  " + p));
        assertThat(accepted.size()).as("thousands of commands").isGreaterThan(2000);
        assertThat(problems).as("differences from the replay").isEmpty();
    }

    /** The books and their reviews, through the API; the creates count as commands of the history. */
    private Map<UUID, List<UUID>> create(Http http) {
        Map<UUID, List<UUID>> reviewsOf = new LinkedHashMap<>();
        for (int b = 0; b < BOOKS; b++) {
            ObjectNode book = JsonNodeFactory.instance.objectNode().put("title", "Book " + b).put("author", "Author " + b)
                    .put("publisher", "Publisher " + b).put("year", 1950 + b);
            JsonNode created = http.post("/books", book.toString()).json();
            UUID bookId = UUID.fromString(created.get("bookId").asText());
            record(created, "CreateBook", bookId, bookId, fields(book), null);
            List<UUID> reviews = new ArrayList<>();
            for (int r = 0; r < REVIEWS_PER_BOOK; r++) {
                ObjectNode review = JsonNodeFactory.instance.objectNode().put("reviewer", "Reader " + r).put("rating", 1 + r).put("text", "text " + r);
                JsonNode made = http.post("/books/" + bookId + "/reviews", review.toString()).json();
                UUID reviewId = UUID.fromString(made.get("reviewId").asText());
                Map<String, Object> sets = new HashMap<>();
                sets.put("rating", 1 + r);
                sets.put("text", "text " + r);
                record(made, "CreateReview", reviewId, bookId, sets, null);
                reviews.add(reviewId);
            }
            reviewsOf.put(bookId, reviews);
        }
        return reviewsOf;
    }

    /** One client: patches (a third of them conditional on the version it just read), now and then a deletion. */
    private void send(Http http, Random random, List<UUID> books, Map<UUID, List<UUID>> reviewsOf) {
        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
            UUID book = books.get(random.nextInt(books.size()));
            int kind = random.nextInt(100);
            Integer ifMatch = null;
            if (random.nextInt(3) == 0) {
                Http.Response read = kind < 60 ? http.get("/books/" + book) : http.get("/books/" + book + "/reviews");
                if (kind < 60 && read.status() == 200) {
                    ifMatch = read.json().get("version").asInt();
                }
            }
            String[] condition = ifMatch == null ? new String[0] : new String[] {"If-Match", "\"" + ifMatch + "\""};
            if (kind < 60) {
                ObjectNode patch = bookPatch(random);
                record(http.send("PATCH", "/books/" + book, patch.toString(), header("Content-Type", "application/merge-patch+json", condition))
                        .json(), "UpdateBook", book, book, fields(patch), ifMatch);
            } else if (kind < 97) {
                UUID review = reviewsOf.get(book).get(random.nextInt(REVIEWS_PER_BOOK));
                ObjectNode patch = reviewPatch(random);
                record(http.send("PATCH", "/books/" + book + "/reviews/" + review, patch.toString(), "Content-Type", "application/json").json(),
                        "UpdateReview", review, book, fields(patch), null);
            } else if (kind < 99 && random.nextInt(4) == 0) {
                UUID review = reviewsOf.get(book).get(random.nextInt(REVIEWS_PER_BOOK));
                record(http.send("DELETE", "/books/" + book + "/reviews/" + review, null).json(), "DeleteReview", review, book, Map.of(), null);
            } else if (books.indexOf(book) == 0 && i > REQUESTS_PER_CLIENT * 9 / 10) {
                record(http.send("DELETE", "/books/" + book, null).json(), "DeleteBook", book, book, Map.of(), null);
            }
        }
    }

    /**
     * Commands sent straight to the queues, as another producer (or a replay) would: issued up to five seconds in the past
     * so they arrive late and out of order, a fifth conditional, each sent once to three times, the lot shuffled; the last
     * deletes a book, whose other commands then end rejected or applied depending on where it lands.
     */
    private List<String> directCommands(Random random, List<UUID> books, Map<UUID, List<UUID>> reviewsOf) {
        List<String> messages = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < DIRECT_COMMANDS; i++) {
            UUID book = books.get(random.nextInt(books.size()));
            Integer ifMatch = random.nextInt(5) == 0 ? 1 + random.nextInt(40) : null;
            Instant issuedAt = now.minusMillis(random.nextInt(5000));
            Payload payload;
            Map<String, Object> sets;
            UUID resource;
            if (random.nextBoolean()) {
                ObjectNode patch = bookPatch(random);
                sets = fields(patch);
                payload = new UpdateBook(book, new BookPatch((String) sets.get("title"), (String) sets.get("author"),
                        (String) sets.get("publisher"), (Integer) sets.get("year"), null, false), ifMatch);
                resource = book;
            } else {
                resource = reviewsOf.get(book).get(random.nextInt(REVIEWS_PER_BOOK));
                if (random.nextInt(300) == 0) {
                    payload = new DeleteReview(resource, book, ifMatch);
                    sets = Map.of();
                } else {
                    ObjectNode patch = reviewPatch(random);
                    sets = fields(patch);
                    payload = new UpdateReview(resource, book, new ReviewPatch((Integer) sets.get("rating"), (String) sets.get("text"),
                            patch.has("text") && patch.get("text").isNull()), ifMatch);
                }
            }
            if (i == DIRECT_COMMANDS - 1) {
                book = books.get(1);
                payload = new DeleteBook(book, null);
                sets = Map.of();
                resource = book;
                ifMatch = null;
            }
            CommandEnvelope envelope = CommandEnvelope.of(CommandIds.fresh(), issuedAt, "ordering-" + i, null, payload);
            accepted.put(envelope.commandId(), new Command(envelope.commandId(), issuedAt, payload.type(), resource, book, sets, ifMatch));
            for (int copy = 0; copy < 1 + random.nextInt(3); copy++) {
                messages.add(CommandMessages.json(envelope));
            }
        }
        Collections.shuffle(messages, random);
        return messages;
    }

    /** A conditional command was applied exactly when the version it found was the one it named. */
    private List<String> conditionsHeld(Map<UUID, JsonNode> outcomes) {
        List<String> problems = new ArrayList<>();
        for (Command command : accepted.values()) {
            JsonNode outcome = outcomes.get(command.id());
            if (command.ifMatch() == null || outcome == null) {
                continue;
            }
            String reason = outcome.path("reason").asText("");
            boolean applied = outcome.path("status").asText().equals("APPLIED");
            int found = outcome.path("found_version").asInt(-1);
            if (applied && found != command.ifMatch()) {
                problems.add(command + " applied on version " + found);
            }
            if (reason.equals("VERSION_CONFLICT") && found == command.ifMatch()) {
                problems.add(command + " rejected VERSION_CONFLICT although it found version " + found);
            }
        }
        return problems;
    }

    /** Compares a book with the replay of its history; returns whether it is deleted. */
    private boolean checkBook(Http http, UUID book, Map<UUID, JsonNode> outcomes, List<String> problems) {
        List<Command> history = history(book, outcomes);
        Http.Response read = http.get("/books/" + book);
        boolean deleted = history.stream().anyMatch(Command::deletes);
        if (deleted) {
            if (read.status() != 410 || http.get("/books/" + book + "/reviews").status() != 410) {
                problems.add("book " + book + " was deleted but reads " + read.status());
            }
            return true;
        }
        compare("book " + book, read, history, outcomes, BOOK_FIELDS, problems);
        return false;
    }

    private void checkReview(Http http, UUID book, UUID review, Map<UUID, JsonNode> outcomes, List<String> problems) {
        List<Command> history = history(review, outcomes);
        Http.Response read = http.get("/books/" + book + "/reviews/" + review);
        boolean gone = history.stream().anyMatch(Command::deletes) || history(book, outcomes).stream().anyMatch(Command::deletes);
        if (gone) {
            if (read.status() != 410) {
                problems.add("review " + review + " was deleted (or its book) but reads " + read.status());
            }
            return;
        }
        compare("review " + review, read, history, outcomes, List.of("rating", "text"), problems);
    }

    /**
     * The commands of one resource that changed it, in key order: every applied one (a conditional command counts only if
     * it was applied, as its condition was judged when it was). A rejection by a deletion is left out: the deletion
     * ends the resource whatever came before it.
     */
    private List<Command> history(UUID resource, Map<UUID, JsonNode> outcomes) {
        return accepted.values().stream().filter(c -> c.resource().equals(resource))
                .filter(c -> outcomes.containsKey(c.id()) && outcomes.get(c.id()).path("status").asText().equals("APPLIED"))
                .sorted(Comparator.comparing(Command::key)).toList();
    }

    /**
     * Field by field the value of the newest command that set it; the version one more per applied change that altered
     * what a read shows (which one did depends on the order they arrived in: a patch applied after a newer one may alter
     * nothing), as their outcomes say.
     */
    private static void compare(String what, Http.Response read, List<Command> history, Map<UUID, JsonNode> outcomes, List<String> fields,
                                List<String> problems) {
        if (read.status() != 200) {
            problems.add(what + " reads " + read.status());
            return;
        }
        Map<String, Object> expected = new HashMap<>();
        for (Command command : history) {
            expected.putAll(command.sets());
        }
        JsonNode actual = read.json();
        for (String field : fields) {
            Object value = expected.get(field);
            JsonNode stored = actual.get(field);
            String storedText = stored == null || stored.isNull() ? null : stored.asText();
            String expectedText = value == null ? null : String.valueOf(value);
            if (!java.util.Objects.equals(storedText, expectedText)) {
                problems.add(what + " " + field + " is " + storedText + ", the replay gives " + expectedText);
            }
        }
        long altering = history.stream().map(c -> outcomes.get(c.id()))
                .filter(o -> !o.has("found_version") || o.path("resource_version").asInt() == o.path("found_version").asInt() + 1).count();
        if (actual.get("version").asInt() != altering) {
            problems.add(what + " is at version " + actual.get("version").asInt() + ", its outcomes give " + altering + " of "
                    + history.size() + " applied");
        }
    }

    private static Map<UUID, JsonNode> outcomes(FaultSuiteIT.Run run) throws Exception {
        Map<UUID, JsonNode> outcomes = new HashMap<>();
        try (var c = run.stack.database().proxyPool().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT command_id, status, reason, found_version, resource_version FROM command_outcomes")) {
            while (rs.next()) {
                ObjectNode outcome = JsonNodeFactory.instance.objectNode().put("status", rs.getString(2)).put("reason", rs.getString(3));
                if (rs.getObject(4) != null) {
                    outcome.put("found_version", rs.getInt(4));
                }
                if (rs.getObject(5) != null) {
                    outcome.put("resource_version", rs.getInt(5));
                }
                outcomes.put(rs.getObject(1, UUID.class), outcome);
            }
        }
        return outcomes;
    }

    private void record(JsonNode accepted202, String type, UUID resource, UUID book, Map<String, Object> sets, Integer ifMatch) {
        assertThat(accepted202.has("commandId")).as(type + " accepted: " + accepted202).isTrue();
        UUID id = UUID.fromString(accepted202.get("commandId").asText());
        accepted.put(id, new Command(id, Instant.parse(accepted202.get("issuedAt").asText()), type, resource, book, sets, ifMatch));
    }

    private static ObjectNode bookPatch(Random random) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        int n = random.nextInt(100_000);
        do {
            switch (random.nextInt(4)) {
                case 0 -> patch.put("title", "Title " + n);
                case 1 -> patch.put("author", "Author " + n);
                case 2 -> patch.put("publisher", "Publisher " + n);
                default -> patch.put("year", 1900 + n % 120);
            }
        } while (random.nextInt(3) == 0);
        return patch;
    }

    private static ObjectNode reviewPatch(Random random) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        switch (random.nextInt(4)) {
            case 0 -> patch.put("rating", 1 + random.nextInt(5));
            case 1 -> patch.put("text", "text " + random.nextInt(100_000));
            case 2 -> patch.putNull("text");
            default -> patch.put("rating", 1 + random.nextInt(5)).put("text", "both " + random.nextInt(100_000));
        }
        return patch;
    }

    /** The fields a patch (or create) sets, with null for one it removes. */
    private static Map<String, Object> fields(ObjectNode body) {
        Map<String, Object> sets = new HashMap<>();
        body.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            sets.put(field.getKey(), value.isNull() ? null : value.isInt() ? (Object) value.intValue() : value.asText());
        });
        sets.remove("reviewer");
        return sets;
    }

    private static boolean aboutABook(String message) {
        return message.contains("\"type\":\"UpdateBook\"") || message.contains("\"type\":\"DeleteBook\"");
    }

    private static String[] header(String name, String value, String[] more) {
        String[] all = new String[more.length + 2];
        all[0] = name;
        all[1] = value;
        System.arraycopy(more, 0, all, 2, more.length);
        return all;
    }
}
