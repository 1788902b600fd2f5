package dev.bookstore.mapper;

import dev.bookstore.db.Columns;
import dev.bookstore.domain.Book;
import dev.bookstore.domain.BookDetail;
import dev.bookstore.domain.BookState;
import dev.bookstore.domain.Keyset;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.StoredBook;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

public interface BookMapper {

    /**
     * Inserts the books in one statement, skipping any whose command was already applied, and
     * returns how many rows it inserted. Callers pass the books sorted by command id so that concurrent
     * overlapping batches take their command-id locks in one order. Other unique keys (the ISBN) are not
     * in that order: two batches holding two books of one ISBN in opposite orders can still deadlock,
     * which PostgreSQL detects (40P01, retried).
     */
    default int insertBooks(List<NewBook> books) {
        return insertBookColumns(columns(books));
    }

    /** The parameter of {@link #insertBookColumns}. */
    static Map<String, List<String>> columns(List<NewBook> books) {
        return Columns.of(books).column("id", NewBook::id).column("commandId", NewBook::commandId)
                .column("title", NewBook::title).column("author", NewBook::author).column("publisher", NewBook::publisher)
                .column("year", NewBook::year).column("isbn", NewBook::isbn).column("issuedAt", NewBook::issuedAt).build();
    }

    /** {@link #insertBooks}, its rows as {@link Columns}. */
    int insertBookColumns(@Param("c") Map<String, List<String>> columns);

    /** The stored books among {@code ids} (not empty), tombstones included, locked FOR UPDATE until the transaction ends. */
    List<StoredBook> lockBooks(@Param("ids") Collection<UUID> ids);

    /** Whether each of {@code ids} (not empty) is stored and deleted, locked against their deletion and other reviews' batches. */
    List<BookState> lockBooksOfReviews(@Param("ids") Collection<UUID> ids);

    /** Writes changed books (locked by {@link #lockBooks}); a deleted one becomes a tombstone. */
    int updateBooks(@Param("books") List<StoredBook> books);

    Optional<BookDetail> findBookDetail(@Param("id") UUID id);

    /** Living books newest first, after {@code after} when given, only {@code author}'s when given. */
    List<Book> listBooks(@Param("author") String author, @Param("after") Keyset after, @Param("limit") int limit);

    /** Which of {@code ids} are stored books, tombstones included. */
    List<UUID> findExistingIds(@Param("ids") Collection<UUID> ids);
}
