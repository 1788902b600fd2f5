package dev.bookstore.bookwriter;

import dev.bookstore.command.BookPatch;
import dev.bookstore.command.Change;
import dev.bookstore.command.CreateBook;
import dev.bookstore.command.DeleteBook;
import dev.bookstore.command.Payload;
import dev.bookstore.command.UpdateBook;
import dev.bookstore.db.Mappers;
import dev.bookstore.domain.ChangeEvent;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.StoredBook;
import dev.bookstore.writer.Awaited;
import dev.bookstore.writer.ChangeEvents;
import dev.bookstore.writer.Changes;
import dev.bookstore.writer.CommandTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    public Applied apply(Mappers mappers, List<Pending<Payload>> commands) {
        List<ChangeEvent> events = new ArrayList<>();
        List<Pending<Payload>> creates = commands.stream().filter(c -> c.payload() instanceof CreateBook).toList();
        if (!creates.isEmpty()) {
            mappers.books().insertBooks(creates.stream().map(BookTarget::row).toList());
            for (Pending<Payload> command : creates) {
                CreateBook book = (CreateBook) command.payload();
                events.add(ChangeEvents.book(ChangeEvents.BOOK_CREATED, command, book.bookId(), book.title(), book.author(), book.publisher(),
                        book.year(), book.isbn(), 1));
            }
        }
        List<Pending<Payload>> changes = commands.stream().filter(c -> c.payload() instanceof Change)
                .sorted(Comparator.comparing(Pending::key)).toList();
        if (changes.isEmpty()) {
            return new Applied(Map.of(), events);
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
            changed.add(book.id());
            if (change instanceof UpdateBook update) {
                Changes.Merge merge = new Changes.Merge(command.key(), book.created(), book.stamps());
                StoredBook after = patched(book, update.patch(), merge);
                if (sameAsRead(book, after)) {
                    // The stamps still move (a later, older patch must not win), but the book reads as before: no new version.
                    books.put(book.id(), after.atVersion(book.version()));
                    outcomes.put(command.commandId(), CommandOutcome.unchanged(command.commandId(), change.type(), book.id(), book.version(),
                            merge.fieldsSet()));
                    continue;
                }
                books.put(book.id(), after);
                outcomes.put(command.commandId(), CommandOutcome.changed(command.commandId(), change.type(), book.id(), book.version(),
                        merge.fieldsSet()));
                events.add(ChangeEvents.book(ChangeEvents.BOOK_UPDATED, command, book.id(), after.title(), after.author(), after.publisher(),
                        after.year(), after.isbn(), after.version()));
            } else {
                StoredBook after = deleted(book);
                books.put(book.id(), after);
                outcomes.put(command.commandId(), CommandOutcome.changed(command.commandId(), change.type(), book.id(), book.version(), List.of()));
                events.add(ChangeEvents.bookDeleted(command, book.id(), after.version()));
            }
        }
        if (!changed.isEmpty()) {
            mappers.books().updateBooks(changed.stream().map(books::get).toList());
        }
        return new Applied(outcomes, events);
    }

    /** Whether two states of a book read the same through the API: the same fields (the version aside). */
    private static boolean sameAsRead(StoredBook before, StoredBook after) {
        return before.title().equals(after.title()) && before.author().equals(after.author()) && before.publisher().equals(after.publisher())
                && before.year() == after.year() && Objects.equals(before.isbn(), after.isbn()) && before.deleted() == after.deleted();
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
