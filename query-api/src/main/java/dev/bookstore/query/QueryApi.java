package dev.bookstore.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.TextRules;
import dev.bookstore.command.Violation;
import dev.bookstore.db.Database;
import dev.bookstore.db.DatabaseException;
import dev.bookstore.command.Versions;
import dev.bookstore.domain.Book;
import dev.bookstore.domain.BookDetail;
import dev.bookstore.domain.FeedEvent;
import dev.bookstore.domain.Keyset;
import dev.bookstore.domain.OutcomeWithBook;
import dev.bookstore.domain.ReviewOfBook;
import dev.bookstore.http.Problem;
import dev.bookstore.http.ProblemException;
import dev.bookstore.http.ProblemType;
import dev.bookstore.http.Requests;
import dev.bookstore.http.Responses;
import dev.bookstore.telemetry.LogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The read side of the API. Each route is one indexed query in autocommit mode: no transaction held
 * open, no session state. Lists are newest first and paged by keyset, so a deep page costs what the
 * first does and paging while books are added never skips or repeats an earlier one.
 */
public final class QueryApi {

    public static final String LIST_BOOKS = "GET /books";
    public static final String GET_BOOK = "GET /books/{bookId}";
    public static final String LIST_REVIEWS = "GET /books/{bookId}/reviews";
    public static final String GET_REVIEW = "GET /books/{bookId}/reviews/{reviewId}";
    public static final String GET_COMMAND = "GET /commands/{commandId}";
    public static final String LEGACY_LIST_BOOKS = "GET /book";
    public static final String LIST_CHANGES = "GET /changes";
    public static final String LIST_BOOK_CHANGES = "GET /books/{bookId}/changes";
    public static final Set<String> ROUTES = Set.of(LIST_BOOKS, GET_BOOK, LIST_REVIEWS, GET_REVIEW, GET_COMMAND,
            LEGACY_LIST_BOOKS, LIST_CHANGES, LIST_BOOK_CHANGES);
    /** The query parameters each route takes, as openapi.yaml lists them; any other is refused, naming it. */
    private static final Map<String, Set<String>> QUERY_PARAMETERS = Map.of(LIST_BOOKS, Set.of("limit", "cursor", "author"),
            GET_BOOK, Set.of(), LIST_REVIEWS, Set.of("limit", "cursor"), GET_REVIEW, Set.of(), GET_COMMAND, Set.of(),
            LEGACY_LIST_BOOKS, Set.of("limit", "cursor"), LIST_CHANGES, Set.of("after", "limit"), LIST_BOOK_CHANGES, Set.of("after", "limit"));

    static final int DEFAULT_LIMIT = 20;
    static final int LEGACY_DEFAULT_LIMIT = 100;
    /** A follower reads the feed in as few pages as the largest allows. */
    static final int FEED_DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 100;
    private static final int AUTHOR_MAX = 100;
    static final String RETRY_AFTER_SECONDS = "1";

    private final Database db;
    private final LogLine log;

    public QueryApi(Database db, LogLine log) {
        this.db = db;
        this.log = log;
    }

    public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, String correlationId) {
        try {
            return route(request);
        } catch (ProblemException refusal) {
            return refusal.problem().at(request.getPath(), correlationId).toResponse();
        } catch (DatabaseException e) {
            boolean clientsValue = isDataException(e);
            // The client gets none of the database's words; the operator needs all of them.
            log.warn(clientsValue ? "the database refused a value of the request" : "the database failed")
                    .with("route", Requests.route(request)).with("correlationId", correlationId)
                    .with("sqlState", e.sqlState()).with("error", e.getMessage()).write();
            Problem problem = clientsValue
                    ? Problem.of(ProblemType.VALIDATION_FAILED, "a value of this request is outside what can be read; check its parameters")
                    : Problem.of(ProblemType.DATABASE_UNAVAILABLE, "the database did not answer; try again shortly")
                            .withHeader("Retry-After", RETRY_AFTER_SECONDS);
            return problem.at(request.getPath(), correlationId).toResponse();
        }
    }

    /**
     * SQLSTATE class 22, a data exception: a value the statement was given is out of its type's range or form.
     * Every value a read is given comes from the request, so retrying it can never help; an outage is never class 22.
     */
    private static boolean isDataException(DatabaseException e) {
        return e.sqlState() != null && e.sqlState().startsWith("22");
    }

    private APIGatewayProxyResponseEvent route(APIGatewayProxyRequestEvent request) {
        String route = Requests.route(request);
        if (!QUERY_PARAMETERS.containsKey(route)) {
            throw new ProblemException(Problem.of(ProblemType.NOT_FOUND, "no route " + route + " in this function"));
        }
        List<Violation> violations = new ArrayList<>(Requests.queryViolations(request, QUERY_PARAMETERS.get(route)));
        switch (route) {
            case LIST_BOOKS:
                return listBooks(request, violations);
            case GET_BOOK:
                return getBook(request, violations);
            case LIST_REVIEWS:
                return listReviews(request, violations);
            case GET_REVIEW:
                return getReview(request, violations);
            case GET_COMMAND:
                return getCommand(request, violations);
            case LIST_CHANGES:
            case LIST_BOOK_CHANGES:
                return listChanges(request, route, violations);
            default:
                return legacyListBooks(request, violations);
        }
    }

    private APIGatewayProxyResponseEvent listBooks(APIGatewayProxyRequestEvent request, List<Violation> violations) {
        String author = author(request, violations);
        String listing = "books\n" + (author == null ? "" : author);
        Page page = page(request, DEFAULT_LIMIT, listing, violations);
        List<Book> books = db.read(m -> m.books().listBooks(author, page.after, page.limit + 1));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode items = body.putArray("items");
        List<Book> shown = books.subList(0, Math.min(page.limit, books.size()));
        shown.forEach(book -> items.add(Views.book(book)));
        body.put("next", next(books, page.limit, Book::keyset, listing));
        return EntityTags.answer(request, body, EntityTags.digest(body), Map.of());
    }

    private APIGatewayProxyResponseEvent legacyListBooks(APIGatewayProxyRequestEvent request, List<Violation> violations) {
        String listing = "book";
        Page page = page(request, LEGACY_DEFAULT_LIMIT, listing, violations);
        List<Book> books = db.read(m -> m.books().listBooks(null, page.after, page.limit + 1));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode items = body.putArray("books");
        books.subList(0, Math.min(page.limit, books.size())).forEach(book -> items.add(Views.legacyBook(book)));
        body.put("next", next(books, page.limit, Book::keyset, listing));
        return Responses.json(200, body, Map.of());
    }

    private APIGatewayProxyResponseEvent getBook(APIGatewayProxyRequestEvent request, List<Violation> violations) {
        UUID bookId = pathId(request, "bookId", violations);
        BookDetail book = db.read(m -> m.books().findBookDetail(bookId))
                .orElseThrow(() -> new ProblemException(Problem.of(ProblemType.NOT_FOUND, "no book " + bookId)));
        if (book.deleted()) {
            throw new ProblemException(Problem.of(ProblemType.GONE, "the book " + bookId + " was deleted"));
        }
        return EntityTags.answer(request, Views.bookDetail(book), Views.bookTag(book), Map.of());
    }

    private APIGatewayProxyResponseEvent listReviews(APIGatewayProxyRequestEvent request, List<Violation> violations) {
        UUID bookId = pathIdOrNull(request, "bookId", violations);
        String listing = "reviews\n" + bookId;
        Page page = page(request, DEFAULT_LIMIT, listing, violations);
        List<ReviewOfBook> rows = db.read(m -> m.reviews().findReviewPage(bookId, page.after, page.limit + 1));
        if (rows.isEmpty()) {
            throw new ProblemException(Problem.of(ProblemType.NOT_FOUND, "no book " + bookId));
        }
        if (rows.get(0).bookDeleted()) {
            throw new ProblemException(Problem.of(ProblemType.GONE, "the book " + bookId + " was deleted, and its reviews with it"));
        }
        List<ReviewOfBook> reviews = rows.stream().filter(ReviewOfBook::isReview).toList();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode items = body.putArray("items");
        reviews.subList(0, Math.min(page.limit, reviews.size())).forEach(row -> items.add(Views.review(row.review())));
        body.put("next", next(reviews, page.limit, row -> row.review().keyset(), listing));
        return EntityTags.answer(request, body, EntityTags.digest(body), Map.of());
    }

    /**
     * The change feed, whole or one book's: events after the position {@code after} in commit order (docs/events.md).
     * {@code next} is always there: the position after this page, or the one given when nothing is new, to come back with.
     */
    private APIGatewayProxyResponseEvent listChanges(APIGatewayProxyRequestEvent request, String route, List<Violation> violations) {
        UUID bookId = route.equals(LIST_BOOK_CHANGES) ? pathIdOrNull(request, "bookId", violations) : null;
        String feed = bookId == null ? "changes" : "changes\n" + bookId;
        long after = 0;
        String position = Requests.queryParameter(request, "after");
        if (position != null) {
            Long decoded = FeedCursor.decode(position, feed);
            if (decoded == null) {
                violations.add(new Violation("after", "query", "is not a position of this feed; use the next value of its previous page"));
            } else {
                after = decoded;
            }
        }
        int limit = limit(request, FEED_DEFAULT_LIMIT, violations);
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.invalid(violations));
        }
        long from = after;
        List<FeedEvent> events = bookId == null ? db.read(m -> m.events().findEvents(from, limit))
                : db.read(m -> m.events().findEventsOfBook(bookId, from, limit));
        if (bookId != null && events.isEmpty() && db.read(m -> m.books().findExistingIds(List.of(bookId))).isEmpty()) {
            throw new ProblemException(Problem.of(ProblemType.NOT_FOUND, "no book " + bookId));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode items = body.putArray("items");
        events.forEach(event -> items.add(Views.event(event)));
        body.put("next", FeedCursor.encode(events.isEmpty() ? after : events.get(events.size() - 1).seq(), feed));
        return EntityTags.answer(request, body, EntityTags.digest(body), Map.of());
    }

    private APIGatewayProxyResponseEvent getReview(APIGatewayProxyRequestEvent request, List<Violation> violations) {
        UUID bookId = pathIdOrNull(request, "bookId", violations);
        UUID reviewId = pathId(request, "reviewId", violations);
        ReviewOfBook row = db.read(m -> m.reviews().findReview(bookId, reviewId))
                .orElseThrow(() -> new ProblemException(Problem.of(ProblemType.NOT_FOUND, "no book " + bookId)));
        if (row.bookDeleted()) {
            throw new ProblemException(Problem.of(ProblemType.GONE, "the book " + bookId + " was deleted, and its reviews with it"));
        }
        if (!row.isReview()) {
            throw new ProblemException(Problem.of(ProblemType.NOT_FOUND, "no review " + reviewId + " of book " + bookId));
        }
        if (row.reviewDeleted()) {
            throw new ProblemException(Problem.of(ProblemType.GONE, "the review " + reviewId + " was withdrawn"));
        }
        return EntityTags.answer(request, Views.review(row.review()), Versions.tag(row.version()), Map.of());
    }

    private APIGatewayProxyResponseEvent getCommand(APIGatewayProxyRequestEvent request, List<Violation> violations) {
        UUID commandId = pathId(request, "commandId", violations);
        Optional<OutcomeWithBook> outcome = db.read(m -> m.outcomes().findOutcomeWithBook(commandId));
        ObjectNode body = outcome.map(Views::command).orElseGet(() -> JsonNodeFactory.instance.objectNode()
                .put("commandId", commandId.toString()).put("status", "PENDING"));
        // A pending command's status changes at any moment; nothing in between may keep an old answer.
        return Responses.json(200, body, Map.of("Cache-Control", "no-store"));
    }

    /** Limit and cursor; throws with every violation, including those collected before. */
    private static Page page(APIGatewayProxyRequestEvent request, int defaultLimit, String listing, List<Violation> violations) {
        int limit = limit(request, defaultLimit, violations);
        Keyset after = null;
        String cursor = Requests.queryParameter(request, "cursor");
        if (cursor != null) {
            after = Cursor.decode(cursor, listing);
            if (after == null) {
                violations.add(new Violation("cursor", "query", "is not a cursor of this listing; use the next value of its previous page"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.invalid(violations));
        }
        return new Page(limit, after);
    }

    private record Page(int limit, Keyset after) {
    }

    /** The page size asked for, 1 to {@link #MAX_LIMIT}, or {@code defaultLimit}; a violation when it is neither. */
    private static int limit(APIGatewayProxyRequestEvent request, int defaultLimit, List<Violation> violations) {
        String limitText = Requests.queryParameter(request, "limit");
        if (limitText == null) {
            return defaultLimit;
        }
        Integer parsed = limitText.matches("[0-9]{1,3}") ? Integer.valueOf(limitText) : null;
        if (parsed == null || parsed < 1 || parsed > MAX_LIMIT) {
            violations.add(new Violation("limit", "query", "must be a whole number from 1 to " + MAX_LIMIT));
            return defaultLimit;
        }
        return parsed;
    }

    /** The cursor after the last shown row, or null when the extra row fetched shows there is no more. */
    private static <T> String next(List<T> rows, int limit, Function<T, Keyset> keyset, String listing) {
        return rows.size() > limit ? Cursor.encode(keyset.apply(rows.get(limit - 1)), listing) : null;
    }

    private static String author(APIGatewayProxyRequestEvent request, List<Violation> violations) {
        String author = Requests.queryParameter(request, "author");
        if (author == null) {
            return null;
        }
        String problem = TextRules.problem(author.strip(), AUTHOR_MAX, false);
        if (problem != null) {
            violations.add(new Violation("author", "query", problem));
            return null;
        }
        return author.strip();
    }

    private static UUID pathId(APIGatewayProxyRequestEvent request, String name, List<Violation> violations) {
        UUID id = pathIdOrNull(request, name, violations);
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.invalid(violations));
        }
        return id;
    }

    private static UUID pathIdOrNull(APIGatewayProxyRequestEvent request, String name, List<Violation> violations) {
        return Requests.uuidPathParameter(request, name, violations);
    }
}
