package dev.bookstore.bookwriter;

import dev.bookstore.command.CreateBook;
import dev.bookstore.command.Payload;
import dev.bookstore.db.Mappers;
import dev.bookstore.domain.NewBook;
import dev.bookstore.writer.CommandTarget;
import java.util.List;

/** CreateBook commands become rows of {@code books}. */
public final class BookTarget implements CommandTarget<CreateBook> {

    @Override
    public String type() {
        return Payload.CREATE_BOOK;
    }

    @Override
    public Class<CreateBook> payloadClass() {
        return CreateBook.class;
    }

    @Override
    public void insert(Mappers mappers, List<Pending<CreateBook>> commands) {
        mappers.books().insertBooks(commands.stream().map(BookTarget::row).toList());
    }

    private static NewBook row(Pending<CreateBook> command) {
        CreateBook book = command.payload();
        return new NewBook(book.bookId(), command.commandId(), book.title(), book.author(), book.publisher(), book.year(), book.isbn());
    }
}
