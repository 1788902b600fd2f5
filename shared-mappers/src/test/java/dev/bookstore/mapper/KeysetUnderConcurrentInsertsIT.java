package dev.bookstore.mapper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.domain.Book;
import dev.bookstore.domain.Keyset;
import dev.bookstore.domain.NewBook;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KeysetUnderConcurrentInsertsIT extends MapperTestSupport {

    @Test
    void pagingWhileBooksAreInsertedYieldsEveryEarlierBookOnceInOrder() throws Exception {
        List<NewBook> earlier = new ArrayList<>();
        for (int batch = 0; batch < 30; batch++) {
            List<NewBook> books = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                books.add(newBook("Earlier " + batch + "." + i));
            }
            earlier.addAll(books);
            db.inTransaction(m -> m.books().insertBooks(books));
        }
        Set<UUID> earlierIds = earlier.stream().map(NewBook::id).collect(Collectors.toSet());

        AtomicBoolean paging = new AtomicBoolean(true);
        AtomicInteger insertedMeanwhile = new AtomicInteger();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> inserts = writer.submit(() -> {
            while (paging.get()) {
                List<NewBook> books = List.of(newBook("Later a"), newBook("Later b"), newBook("Later c"));
                db.inTransaction(m -> m.books().insertBooks(books));
                insertedMeanwhile.addAndGet(books.size());
            }
        });

        List<Book> seen = new ArrayList<>();
        Keyset after = null;
        List<Book> page;
        do {
            Keyset position = after;
            page = db.read(m -> m.books().listBooks(null, position, 17));
            seen.addAll(page);
            after = page.isEmpty() ? null : page.get(page.size() - 1).keyset();
            Thread.sleep(2); // let the writer interleave between pages
        } while (!page.isEmpty());
        paging.set(false);
        inserts.get();
        writer.shutdown();

        List<UUID> seenEarlier = seen.stream().map(Book::id).filter(earlierIds::contains).toList();
        assertThat(insertedMeanwhile.get()).as("books inserted while paging").isPositive();
        assertThat(seenEarlier).doesNotHaveDuplicates().hasSameSizeAs(earlier).containsExactlyInAnyOrderElementsOf(earlierIds);
        assertThat(seen).extracting(Book::id).doesNotHaveDuplicates();
        assertThat(seen).isSortedAccordingTo(Comparator.comparing(Book::createdAt).reversed());
    }
}
