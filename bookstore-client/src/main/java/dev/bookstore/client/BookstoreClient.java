package dev.bookstore.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.client.internal.Endpoint;
import dev.bookstore.client.internal.FixedCredentials;
import dev.bookstore.client.internal.IdempotencyKeys;
import dev.bookstore.client.internal.Json;
import dev.bookstore.client.internal.Outgoing;
import dev.bookstore.client.internal.SigV4Signer;
import dev.bookstore.client.internal.Signer;
import dev.bookstore.client.internal.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * The bookstore API (openapi.yaml) as Java calls. Immutable once built: one instance serves any number of threads.
 *
 * <p>Writes answer {@link Accepted} once the command is queued; {@link #awaitOutcome} follows it to APPLIED or REJECTED.
 * Each write is one logical call with one {@code Idempotency-Key}, the caller's or a fresh one, sent on every attempt,
 * so the server derives one command however many attempts reach it. Attempts are retried on {@code 429}, {@code 502},
 * {@code 503} and {@code 504} and when no answer comes, after a growing back-off and never sooner than
 * {@code Retry-After}. When they run out, the exception says what is known: {@link ServiceUnavailableException}, not
 * queued; {@link OutcomeUnknownException}, maybe queued, with the key to send it again under; {@link ProblemException},
 * refused. Reads are retried the same way on {@code 429}, any {@code 5xx} and I/O failures.
 */
public final class BookstoreClient {

    /** Where {@code ./run-local} serves the API. */
    public static final URI LOCAL_RUNNER = URI.create("http://127.0.0.1:3000");

    private static final String ACCEPT = "application/json, application/problem+json";
    private static final String JSON = "application/json";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final Endpoint endpoint;
    private final Writes writes;
    private final Batches batches;
    private final Reads reads;
    private final Reads polls;
    private final PollPolicy pollPolicy;

    private BookstoreClient(Builder builder) {
        this.endpoint = Endpoint.of(Objects.requireNonNull(builder.endpoint, "endpoint"));
        HttpClient http = builder.httpClient != null ? builder.httpClient : HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                // Plain http gets HTTP/1.1: HTTP/2 would first ask every connection to upgrade (h2c), which servers ignore at best.
                .version(endpoint.secure() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
        Signer signer = builder.region == null ? Signer.none() : new SigV4Signer(builder.region, builder.credentials, builder.clock);
        Transport transport = new Transport(http, signer, builder.requestTimeout);
        this.writes = new Writes(transport, builder.retryPolicy, builder.clock);
        this.batches = new Batches(transport, builder.retryPolicy, builder.clock);
        this.reads = new Reads(transport, builder.retryPolicy, builder.clock);
        this.polls = new Reads(transport, RetryPolicy.none(), builder.clock);
        this.pollPolicy = builder.pollPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An unsigned client of a local runner, with the default retry and poll policies. */
    public static BookstoreClient local(URI endpoint) {
        return builder().endpoint(endpoint).build();
    }

    /** An unsigned client of the local runner at {@link #LOCAL_RUNNER}. */
    public static BookstoreClient local() {
        return local(LOCAL_RUNNER);
    }

    // ---- writes

    public Accepted createBook(NewBook book) {
        return createBook(book, IdempotencyKeys.fresh());
    }

    /** With the caller's key: to send again a call that ended in {@link OutcomeUnknownException}, or to name it beforehand. */
    public Accepted createBook(NewBook book, String idempotencyKey) {
        return writes.send(write("POST", "/books", JSON, Json.write(book), null), IdempotencyKeys.check(idempotencyKey));
    }

    public Accepted createReview(UUID bookId, NewReview review) {
        return createReview(bookId, review, IdempotencyKeys.fresh());
    }

    public Accepted createReview(UUID bookId, NewReview review, String idempotencyKey) {
        return writes.send(write("POST", bookPath(bookId) + "/reviews", JSON, Json.write(review), null),
                IdempotencyKeys.check(idempotencyKey));
    }

    public Accepted updateBook(UUID bookId, BookPatch patch) {
        return updateBook(bookId, patch, ChangeOptions.none());
    }

    public Accepted updateBook(UUID bookId, BookPatch patch, ChangeOptions options) {
        return change("PATCH", bookPath(bookId), Json.mergePatch(patch.fields()), options);
    }

    public Accepted deleteBook(UUID bookId) {
        return deleteBook(bookId, ChangeOptions.none());
    }

    public Accepted deleteBook(UUID bookId, ChangeOptions options) {
        return change("DELETE", bookPath(bookId), null, options);
    }

    public Accepted updateReview(UUID bookId, UUID reviewId, ReviewPatch patch) {
        return updateReview(bookId, reviewId, patch, ChangeOptions.none());
    }

    public Accepted updateReview(UUID bookId, UUID reviewId, ReviewPatch patch, ChangeOptions options) {
        return change("PATCH", reviewPath(bookId, reviewId), Json.mergePatch(patch.fields()), options);
    }

    public Accepted deleteReview(UUID bookId, UUID reviewId) {
        return deleteReview(bookId, reviewId, ChangeOptions.none());
    }

    public Accepted deleteReview(UUID bookId, UUID reviewId, ChangeOptions options) {
        return change("DELETE", reviewPath(bookId, reviewId), null, options);
    }

    /**
     * Up to 100 books in one request ({@code POST /books/batch}), each with a fresh key of its own. Items answered
     * {@code 503} are sent again, with their keys, until settled or out of attempts; one result per book, in order.
     * Throws only while no item has an answer: a {@link ProblemException} for a request refused as a whole.
     */
    public List<BatchItemResult> createBooks(List<NewBook> books) {
        return createBooks(books, freshKeys(books.size()));
    }

    /** With the caller's keys, one per book, in order; a key names the same book here and on {@link #createBook}. */
    public List<BatchItemResult> createBooks(List<NewBook> books, List<String> idempotencyKeys) {
        return batch(endpoint.uri("/books/batch", Map.of()), books, idempotencyKeys);
    }

    /** Up to 100 reviews of one book ({@code POST /books/{bookId}/reviews/batch}), as {@link #createBooks(List)}. */
    public List<BatchItemResult> createReviews(UUID bookId, List<NewReview> reviews) {
        return createReviews(bookId, reviews, freshKeys(reviews.size()));
    }

    public List<BatchItemResult> createReviews(UUID bookId, List<NewReview> reviews, List<String> idempotencyKeys) {
        return batch(endpoint.uri(bookPath(bookId) + "/reviews/batch", Map.of()), reviews, idempotencyKeys);
    }

    // ---- reads

    /** The first page of books, newest first, at the API's default size. */
    public Page<Book> listBooks() {
        return reads.get(read("/books", Map.of()), body -> Json.page(body, Book.class));
    }

    /** A page of books, newest first: {@code limit} 1 to 100, {@code cursor} null or the {@code next} of the page before. */
    public Page<Book> listBooks(int limit, String cursor) {
        return reads.get(read("/books", pageQuery(limit, cursor)), body -> Json.page(body, Book.class));
    }

    /** A page of one author's books (exact match). */
    public Page<Book> listBooksBy(String author, int limit, String cursor) {
        Map<String, String> query = pageQuery(limit, cursor);
        query.put("author", Objects.requireNonNull(author, "author"));
        return reads.get(read("/books", query), body -> Json.page(body, Book.class));
    }

    /** @throws ProblemException 404 before the book is applied (or if it never is), 410 once deleted */
    public BookDetail getBook(UUID bookId) {
        return reads.get(read(bookPath(bookId), Map.of()), body -> Json.read(body, BookDetail.class));
    }

    public Page<Review> listReviews(UUID bookId, int limit, String cursor) {
        return reads.get(read(bookPath(bookId) + "/reviews", pageQuery(limit, cursor)), body -> Json.page(body, Review.class));
    }

    public Review getReview(UUID bookId, UUID reviewId) {
        return reads.get(read(reviewPath(bookId, reviewId), Map.of()), body -> Json.read(body, Review.class));
    }

    /** The command's status now; PENDING also for an id the API has never seen. */
    public CommandStatus getCommand(UUID commandId) {
        return reads.get(commandRequest(commandId), body -> Json.read(body, CommandStatus.class));
    }

    /**
     * Polls {@code GET /commands/{commandId}} until the command is APPLIED or REJECTED, waiting as the poll policy says
     * between polls (longer when a 503's {@code Retry-After} asks). A poll that gets no answer, or a 5xx, only waits for
     * the next. Returns within about {@code timeout} plus one request.
     *
     * @throws OutcomeTimeoutException when no outcome came in time. PENDING is all the API can say of a command still
     *         queued, of one that sits in a dead-letter queue after failing, and of one that was never queued (an id from
     *         an {@link OutcomeUnknownException} whose command SQS did not keep), so a timeout does not tell them apart.
     */
    public CommandStatus awaitOutcome(UUID commandId, Duration timeout) {
        Outgoing request = commandRequest(commandId);
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration delay = pollPolicy.initialDelay();
        CommandStatus last = null;
        Throwable lastFailure = null;
        while (true) {
            Duration wait = delay;
            Reads.Attempt<CommandStatus> poll = polls.once(request, body -> Json.read(body, CommandStatus.class));
            if (poll instanceof Reads.Attempt.Got<CommandStatus> got) {
                last = got.value();
                if (last.isFinal()) {
                    return last;
                }
            } else if (poll instanceof Reads.Attempt.Missed<CommandStatus> missed) {
                lastFailure = missed.failure() != null ? missed.failure() : new ServiceUnavailableException(request.describe(),
                        "no answer", 1, missed.problem(), null);
                if (missed.retryAfter() != null && missed.retryAfter().compareTo(wait) > 0) {
                    wait = missed.retryAfter();
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new OutcomeTimeoutException(commandId, timeout, last, lastFailure);
            }
            try {
                // Never past the deadline: the last poll is at the deadline, not a whole interval after it.
                Pause.sleep(wait.toNanos() < remaining ? wait : Duration.ofNanos(remaining));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CallInterruptedException(request.describe(), "the command's outcome was not awaited", e);
            }
            delay = pollPolicy.after(delay);
        }
    }

    // ---- requests

    private Accepted change(String method, String path, byte[] patch, ChangeOptions options) {
        String key = options.idempotencyKey() != null ? options.idempotencyKey() : IdempotencyKeys.fresh();
        return writes.send(write(method, path, patch == null ? null : MERGE_PATCH, patch, options.expectedVersion()), key);
    }

    private Outgoing write(String method, String path, String contentType, byte[] body, Long expectedVersion) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", ACCEPT);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (expectedVersion != null) {
            headers.put("If-Match", "\"" + expectedVersion + "\"");
        }
        return new Outgoing(method, endpoint.uri(path, Map.of()), headers, body);
    }

    private Outgoing read(String path, Map<String, String> query) {
        return new Outgoing("GET", endpoint.uri(path, query), Map.of("Accept", ACCEPT), null);
    }

    private Outgoing commandRequest(UUID commandId) {
        return read("/commands/" + Objects.requireNonNull(commandId, "commandId"), Map.of());
    }

    private List<BatchItemResult> batch(URI uri, List<?> items, List<String> keys) {
        Batches.requireSize(items, keys);
        List<ObjectNode> bodies = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            bodies.add(Json.batchItem(Objects.requireNonNull(items.get(i), "item " + i), IdempotencyKeys.check(keys.get(i))));
        }
        return batches.send(uri, Map.of("Accept", ACCEPT, "Content-Type", JSON), bodies, List.copyOf(keys));
    }

    private static List<String> freshKeys(int count) {
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(IdempotencyKeys.fresh());
        }
        return keys;
    }

    private static Map<String, String> pageQuery(int limit, String cursor) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", Integer.toString(limit));
        if (cursor != null) {
            query.put("cursor", cursor);
        }
        return query;
    }

    private static String bookPath(UUID bookId) {
        return "/books/" + Objects.requireNonNull(bookId, "bookId");
    }

    private static String reviewPath(UUID bookId, UUID reviewId) {
        return bookPath(bookId) + "/reviews/" + Objects.requireNonNull(reviewId, "reviewId");
    }

    /**
     * Only the endpoint is required. Without {@link #sigV4} requests go unsigned, as the local runner takes them.
     */
    public static final class Builder {

        private URI endpoint;
        private String region;
        private IdentityProvider<? extends AwsCredentialsIdentity> credentials;
        private Clock clock = Clock.systemUTC();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private PollPolicy pollPolicy = PollPolicy.defaults();
        private HttpClient httpClient;
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The API's base URI; a stage path ({@code https://…/prod}) is kept in front of every route. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder endpoint(String endpoint) {
            return endpoint(URI.create(endpoint));
        }

        /**
         * Signs every attempt with SigV4 for {@code execute-api} in {@code region} ({@code eu-west-1}). Any SDK
         * credentials provider is an {@link IdentityProvider}: pass {@code DefaultCredentialsProvider.builder().build()}
         * from {@code software.amazon.awssdk:auth}, which this client does not depend on.
         */
        public Builder sigV4(String region, IdentityProvider<? extends AwsCredentialsIdentity> credentials) {
            this.region = Objects.requireNonNull(region, "region");
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** SigV4 with credentials that never change ({@code AwsBasicCredentialsIdentity}, {@code AwsSessionCredentialsIdentity}). */
        public Builder sigV4(String region, AwsCredentialsIdentity credentials) {
            return sigV4(region, new FixedCredentials(credentials));
        }

        /** The clock signatures are dated by (and an HTTP-date {@code Retry-After} read against); waits use the JVM's own timer. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        public Builder pollPolicy(PollPolicy pollPolicy) {
            this.pollPolicy = Objects.requireNonNull(pollPolicy, "pollPolicy");
            return this;
        }

        /** The connection pool to use; by default one of the client's own (HTTP/1.1 for http, HTTP/2 for https). */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** How long one attempt waits for its answer before it counts as lost; API Gateway gives up at 29 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, not " + requestTimeout);
            }
            this.requestTimeout = requestTimeout;
            return this;
        }

        public BookstoreClient build() {
            return new BookstoreClient(this);
        }
    }
}
