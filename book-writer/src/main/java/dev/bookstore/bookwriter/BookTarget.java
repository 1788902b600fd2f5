package dev.bookstore.bookwriter;

import dev.bookstore.command.BookPatch;
import dev.bookstore.command.Change;
import dev.bookstore.command.CreateBook;
import dev.bookstore.command.DeleteBook;
import dev.bookstore.command.Payload;
import dev.bookstore.command.UpdateBook;
import dev.bookstore.db.Mappers;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.StoredBook;
import dev.bookstore.writer.Awaited;
import dev.bookstore.writer.Changes;
import dev.bookstore.writer.CommandTarget;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Book commands: a CreateBook becomes a row; UpdateBook and DeleteBook change it, on the row locked for the batch,
 * in order of their keys (see {@link Changes}). A change of a book not stored yet waits for it.
 */
public final class BookTarget implements CommandTarget<Payload> {

    @Override
    public Set<String> types() {
        return Set.of(Payload.CREATE_BOOK, Payload.UPDATE_BOOK, Payload.DELETE_BOOK);
    }

    @Override
    public boolean accepts(Payload payload) {
        return payload instanceof CreateBook || payload instanceof UpdateBook || payload instanceof DeleteBook;
    }

    @Override
    public Map<UUID, CommandOutcome> apply(Mappers mappers, List<Pending<Payload>> commands) {
        List<NewBook> rows = commands.stream().filter(c -> c.payload() instanceof CreateBook).map(BookTarget::row).toList();
        if (!rows.isEmpty()) {
            mappers.books().insertBooks(rows);
        }
        List<Pending<Payload>> changes = commands.stream().filter(c -> c.payload() instanceof Change)
                .sorted(Comparator.comparing(Pending::key)).toList();
        if (changes.isEmpty()) {
            return Map.of();
        }
        Map<UUID, StoredBook> books = mappers.books().lockBooks(changes.stream().map(c -> c.payload().bookId()).collect(Collectors.toSet()))
                .stream().collect(Collectors.toMap(StoredBook::id, Function.identity()));
        Map<UUID, CommandOutcome> outcomes = new HashMap<>();
        Set<UUID> changed = new TreeSet<>();
        for (Pending<Payload> command : changes) {
            Change change = (Change) command.payload();
            StoredBook book = books.get(change.bookId());
            if (book == null) {
                throw new IllegalStateException("book " + change.bookId() + " was found stored before this transaction, and books are never removed");
            }
            CommandOutcome refusal = Changes.refusal(command.commandId(), change, "book", book.version(), book.deleted());
            if (refusal != null) {
                outcomes.put(command.commandId(), refusal);
                continue;
            }
            List<String> fields = List.of();
            if (change instanceof UpdateBook update) {
                Changes.Merge merge = new Changes.Merge(command.key(), book.created(), book.stamps());
                books.put(book.id(), patched(book, update.patch(), merge));
                fields = merge.fieldsSet();
            } else {
                books.put(book.id(), deleted(book));
            }
            changed.add(book.id());
            outcomes.put(command.commandId(), CommandOutcome.changed(command.commandId(), change.type(), book.id(), book.version(), fields));
        }
        if (!changed.isEmpty()) {
            mappers.books().updateBooks(changed.stream().map(books::get).toList());
        }
        return outcomes;
    }

    /** Changes of books not stored yet wait for them; a create never waits. */
    @Override
    public Map<UUID, Missing> waiting(Mappers mappers, List<Pending<Payload>> commands) {
        List<Pending<Payload>> changes = commands.stream().filter(c -> c.payload() instanceof Change).toList();
        if (changes.isEmpty()) {
            return Map.of();
        }
        Set<UUID> stored = new HashSet<>(mappers.books().findExistingIds(changes.stream().map(c -> c.payload().bookId()).collect(Collectors.toSet())));
        Map<UUID, UUID> absent = new TreeMap<>();
        changes.stream().filter(c -> !stored.contains(c.payload().bookId())).forEach(c -> absent.put(c.commandId(), c.payload().bookId()));
        return Awaited.count(mappers, absent, Payload.CREATE_BOOK, "bookId");
    }

    private static StoredBook patched(StoredBook book, BookPatch patch, Changes.Merge merge) {
        String title = patch.title() != null && merge.takes("title") ? patch.title() : book.title();
        String author = patch.author() != null && merge.takes("author") ? patch.author() : book.author();
        String publisher = patch.publisher() != null && merge.takes("publisher") ? patch.publisher() : book.publisher();
        int year = patch.year() != null && merge.takes("year") ? patch.year() : book.year();
        String isbn = (patch.isbn() != null || patch.removesIsbn()) && merge.takes("isbn") ? patch.isbn() : book.isbn();
        return new StoredBook(book.id(), book.commandId(), book.issuedAt(), title, author, publisher, year, isbn, book.version() + 1,
                merge.stamps().toJson(), false);
    }

    private static StoredBook deleted(StoredBook book) {
        return new StoredBook(book.id(), book.commandId(), book.issuedAt(), book.title(), book.author(), book.publisher(), book.year(),
                book.isbn(), book.version() + 1, book.fieldStamps(), true);
    }

    private static NewBook row(Pending<Payload> command) {
        CreateBook book = (CreateBook) command.payload();
        return new NewBook(book.bookId(), command.commandId(), book.title(), book.author(), book.publisher(), book.year(), book.isbn(),
                command.issuedAt());
    }
}
