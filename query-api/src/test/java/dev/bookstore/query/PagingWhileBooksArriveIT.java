package dev.bookstore.query;

import static dev.bookstore.query.QueryFixtures.body;
import static dev.bookstore.query.QueryFixtures.event;
import static dev.bookstore.query.QueryFixtures.withQuery;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bookstore.db.Database;
import dev.bookstore.domain.NewBook;
import dev.bookstore.migration.Migrations;
import dev.bookstore.query.handler.QueryApiHandler;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.testkit.TestPostgres;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PagingWhileBooksArriveIT {

    @Test
    void walkingThePagesWhileBooksAreAddedYieldsEveryEarlierBookOnceInOrder() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
        postgres.truncate("reviews", "books", "command_outcomes");
        Database db = Database.pooled(postgres.dataSource());
        List<NewBook> earlier = new ArrayList<>();
        for (int batch = 0; batch < 100; batch++) {
            List<NewBook> books = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                books.add(new NewBook(UUID.randomUUID(), UUID.randomUUID(), "Earlier " + batch + "." + i, "A", "P", 2000, null));
            }
            db.inTransaction(m -> m.books().insertBooks(books));
            earlier.addAll(books);
        }
        Set<String> earlierIds = earlier.stream().map(b -> b.id().toString()).collect(Collectors.toSet());
        QueryApiHandler handler = new QueryApiHandler(Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrlAs(postgres.readerRole())));

        AtomicBoolean walking = new AtomicBoolean(true);
        AtomicInteger added = new AtomicInteger();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> adding = writer.submit(() -> {
            while (walking.get()) {
                db.inTransaction(m -> m.books().insertBooks(List.of(
                        new NewBook(UUID.randomUUID(), UUID.randomUUID(), "Later", "A", "P", 2000, null))));
                added.incrementAndGet();
            }
        });

        List<JsonNode> seen = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> query = new HashMap<>(Map.of("limit", "37"));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonNode page = body(handler.handleRequest(withQuery(event("get-books"), query), new TestLambdaContext()));
            page.get("items").forEach(seen::add);
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        walking.set(false);
        adding.get();
        writer.shutdown();

        List<String> seenEarlier = seen.stream().map(book -> book.get("id").asText()).filter(earlierIds::contains).toList();
        assertThat(added.get()).as("books added during the walk").isPositive();
        assertThat(seenEarlier).hasSize(1_000).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(earlierIds);
        List<Instant> times = seen.stream().map(book -> Instant.parse(book.get("createdAt").asText())).toList();
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).as("newest first at %d", i).isBeforeOrEqualTo(times.get(i - 1));
        }
    }
}
