package dev.bookstore.bookwriter;

import static dev.bookstore.testkit.CommandMessages.book;
import static dev.bookstore.testkit.CommandMessages.envelope;
import static dev.bookstore.testkit.CommandMessages.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CreateBook;
import dev.bookstore.command.Payload;
import dev.bookstore.db.Database;
import dev.bookstore.db.InvalidValueException;
import dev.bookstore.db.Mappers;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.NewReview;
import dev.bookstore.migration.Migrations;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import dev.bookstore.testkit.RepositoryFiles;
import dev.bookstore.testkit.SqsEvents;
import dev.bookstore.testkit.SqsEvents.Message;
import dev.bookstore.testkit.TestPostgres;
import dev.bookstore.writer.BatchWriter;
import dev.bookstore.writer.CommandTarget;
import dev.bookstore.writer.WriterTelemetry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule PostgreSQL enforces on the rows the writers insert, broken for real, ends in a rejection whose detail
 * names the API's field and rule, as a client reads it at GET /commands/{id}. The database's own words, which name
 * constraints, columns and SQL states, are in the writer's log line only. The codec refuses most of these before
 * the database sees them, so a target that inserts a broken row in place of the command's stands in for a bug.
 */
class RejectionDetailIT {

    /** Rules no insert can break: the inserts are ON CONFLICT (command_id) DO NOTHING. */
    private static final Set<String> UNREACHABLE = Set.of("books_command_id_key", "reviews_command_id_key");
    private static final UUID STORED_BOOK = UUID.randomUUID();
    private static final UUID STORED_REVIEW = UUID.randomUUID();
    private static final String STORED_ISBN = "9780306406157";

    static TestPostgres postgres;
    static Database db;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
        db = Database.pooled(postgres.dataSource());
    }

    @BeforeEach
    void storeABookAndAReview() {
        postgres.truncate("reviews", "books", "command_outcomes");
        db.inTransaction(m -> m.books().insertBooks(List.of(new NewBook(STORED_BOOK, UUID.randomUUID(), "T", "A", "P", 2001, STORED_ISBN))));
        db.inTransaction(m -> m.reviews().insertReviews(List.of(new NewReview(STORED_REVIEW, UUID.randomUUID(), STORED_BOOK, "R", 4, null))));
    }

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                books("books_isbn_key", "isbn: another book has this ISBN", bookRow(UUID.randomUUID(), "T", 2001, "0306406152")),
                books("books_pkey", "bookId: another command already created this book; an Idempotency-Key was reused with another request",
                        bookRow(STORED_BOOK, "T", 2001, null)),
                books("books_title_text", "title: must not be blank or contain control characters", bookRow(UUID.randomUUID(), " ", 2001, null)),
                books("books_author_text", "author: must not be blank or contain control characters",
                        new NewBook(UUID.randomUUID(), UUID.randomUUID(), "T", "A\u0007", "P", 2001, null)),
                books("books_publisher_text", "publisher: must not be blank or contain control characters",
                        new NewBook(UUID.randomUUID(), UUID.randomUUID(), "T", "A", "\t", 2001, null)),
                books("books_year_range", "year: must be between 1450 and 2100", bookRow(UUID.randomUUID(), "T", 1200, null)),
                books("books_isbn_valid", "isbn: must be an ISBN-10 or ISBN-13 with a valid check digit", bookRow(UUID.randomUUID(), "T", 2001, "0306406153")),
                books("22001", "a text field is longer than its rule allows", bookRow(UUID.randomUUID(), "T".repeat(201), 2001, null)),
                books("22003", "a number is out of its field's range", bookRow(UUID.randomUUID(), "T", 40_000, null)),
                books("22021", "a text field holds a character that cannot be stored, such as NUL", bookRow(UUID.randomUUID(), "T\u0000", 2001, null)),
                books("23502", "a required field is missing", bookRow(UUID.randomUUID(), null, 2001, null)),
                reviews("reviews_pkey", "reviewId: another command already created this review; an Idempotency-Key was reused with another request",
                        reviewRow(STORED_REVIEW, STORED_BOOK, "R", 4, null)),
                reviews("reviews_reviewer_text", "reviewer: must not be blank or contain control characters",
                        reviewRow(UUID.randomUUID(), STORED_BOOK, "Jane Private\u0007", 4, null)),
                reviews("reviews_rating_range", "rating: must be a whole number from 1 to 5", reviewRow(UUID.randomUUID(), STORED_BOOK, "R", 9, null)),
                reviews("reviews_text_text", "text: must not be blank or contain control characters other than line breaks and tabs",
                        reviewRow(UUID.randomUUID(), STORED_BOOK, "R", 4, "my address is 1 Elm St\u0007")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void aBrokenRuleIsRejectedNamingTheApisFieldAndOnlyTheLogNamesTheDatabasesRule(String rule, String detail, Consumer<Mappers> insert)
            throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        CommandEnvelope command = envelope(book("Stands in for the broken row"));

        writer(insert, logs).write(SqsEvents.of(Message.of(json(command))));

        String recorded = detailOf(command.commandId());
        assertThat(recorded).isEqualTo(detail).doesNotContain(rule).doesNotContainIgnoringCase("sqlstate")
                .doesNotContainIgnoringCase("constraint").doesNotContain("isbn13").doesNotContain("relation");
        JsonNode line = messageLine(logs, command);
        assertThat(line.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(line.get("detail").asText()).isEqualTo(detail);
        assertThat(line.get("databaseError").asText()).contains(rule.matches("[0-9A-Z]{5}") ? "[SQLSTATE " + rule + "]" : rule)
                .doesNotContain("Jane Private").doesNotContain("1 Elm St");
    }

    @Test
    void aRuleWithoutAnApiWordingGetsAGenericDetailNeverTheDatabasesMessage() throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        CommandEnvelope command = envelope(book("A rule added later"));
        Consumer<Mappers> breaksANewRule = m -> {
            throw new InvalidValueException("new row for relation \"books\" violates check constraint \"books_new_rule\" [SQLSTATE 23514]",
                    "23514", "books_new_rule", null);
        };

        writer(breaksANewRule, logs).write(SqsEvents.of(Message.of(json(command))));

        assertThat(detailOf(command.commandId())).isEqualTo("the command breaks a rule of the stored data; quote its commandId to support");
        assertThat(messageLine(logs, command).get("databaseError").asText()).contains("books_new_rule");
    }

    @Test
    void everyRuleOnTheRowsTheWritersInsertIsCoveredHere() throws IOException {
        Set<String> covered = brokenRules().map(arguments -> (String) arguments.get()[0]).collect(Collectors.toSet());

        assertThat(constraintsOf("books", "reviews")).allSatisfy(rule -> assertThat(covered).as(rule).contains(rule));
    }

    /** The named constraints of these tables in the migrations, and each table's primary key, less the unreachable. */
    private static Set<String> constraintsOf(String... tables) throws IOException {
        Path migrations = RepositoryFiles.find("schema-migrations").resolve("src/main/resources/db/migration");
        Set<String> rules = new TreeSet<>();
        try (Stream<Path> files = Files.list(migrations)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                String sql = Files.readString(file);
                for (String table : tables) {
                    Matcher create = Pattern.compile("CREATE TABLE " + table + " \\((.*?)\\n\\);", Pattern.DOTALL).matcher(sql);
                    while (create.find()) {
                        rules.add(table + "_pkey");
                        Matcher named = Pattern.compile("CONSTRAINT (\\w+)").matcher(create.group(1));
                        while (named.find()) {
                            rules.add(named.group(1));
                        }
                    }
                }
            }
        }
        rules.removeAll(UNREACHABLE);
        assertThat(rules).as("constraints found in " + migrations).contains("books_isbn_key", "reviews_book_id_fkey");
        // A review of a missing book waits for it rather than being rejected; ReviewWriterIT covers that detail.
        rules.remove("reviews_book_id_fkey");
        return rules;
    }

    private static Arguments books(String rule, String detail, NewBook row) {
        return Arguments.of(rule, detail, (Consumer<Mappers>) m -> m.books().insertBooks(List.of(row)));
    }

    private static Arguments reviews(String rule, String detail, NewReview row) {
        return Arguments.of(rule, detail, (Consumer<Mappers>) m -> m.reviews().insertReviews(List.of(row)));
    }

    private static NewBook bookRow(UUID id, String title, int year, String isbn) {
        return new NewBook(id, UUID.randomUUID(), title, "A", "P", year, isbn);
    }

    private static NewReview reviewRow(UUID id, UUID bookId, String reviewer, int rating, String text) {
        return new NewReview(id, UUID.randomUUID(), bookId, reviewer, rating, text);
    }

    private static BatchWriter<Payload> writer(Consumer<Mappers> insert, ByteArrayOutputStream logs) {
        PrintStream out = new PrintStream(logs, true, StandardCharsets.UTF_8);
        Clock clock = Clock.systemUTC();
        return new BatchWriter<>(Database.pooled(postgres.dataSourceAs(postgres.writerRole())), new CommandCodec(clock),
                new BrokenRowTarget(insert), dev.bookstore.writer.Patience.none(),
                new WriterTelemetry(new LogLine("book-writer", out, clock), new Metrics("book-writer", out, clock), clock));
    }

    private static String detailOf(UUID commandId) throws Exception {
        try (Connection c = postgres.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT detail FROM command_outcomes WHERE command_id = ? AND status = 'REJECTED'")) {
            s.setObject(1, commandId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("a rejection of " + commandId).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static JsonNode messageLine(ByteArrayOutputStream logs, CommandEnvelope command) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode entry = json.readTree(line);
            if (command.commandId().toString().equals(entry.path("commandId").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no log line for " + command.commandId() + " in " + logs);
    }

    /** Inserts a broken row for every CreateBook it is given. */
    private record BrokenRowTarget(Consumer<Mappers> insert) implements CommandTarget<Payload> {

        @Override
        public Set<String> types() {
            return Set.of(Payload.CREATE_BOOK);
        }

        @Override
        public boolean accepts(Payload payload) {
            return payload instanceof CreateBook;
        }

        @Override
        public Applied apply(Mappers mappers, List<Pending<Payload>> commands) {
            insert.accept(mappers);
            return new Applied(Map.of(), List.of());
        }

        @Override
        public Map<UUID, Missing> waiting(Mappers mappers, List<Pending<Payload>> commands) {
            return Map.of();
        }
    }
}
