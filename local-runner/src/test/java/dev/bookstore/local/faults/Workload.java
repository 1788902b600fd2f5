package dev.bookstore.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.local.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients of the API: books, a share of them reviewed right after their book was accepted, a share sent
 * with an Idempotency-Key and retried, and a share sent in batches ({@code POST /books/batch}, their reviews with
 * {@code POST /books/{bookId}/reviews/batch}). A careful client takes a 503 at its word, for a request or for a
 * batch's item: "not queued" is retried, key or no key; "may have been queued" is retried only with the same key,
 * and without one the command goes in the ledger as uncertain. Any other answer but 202 (or 207 for a batch, with
 * those answers for its items) fails the scenario.
 */
final class Workload {

    /** Batches of 2 to this many books: some of more than one SendMessageBatch call. */
    private static final int LARGEST_BATCH = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Http http;
    private final Ledger ledger;
    final AtomicInteger unavailable = new AtomicInteger();
    final AtomicInteger outcomeUnknown = new AtomicInteger();
    /** Books and reviews sent as batch items, and the batch requests that carried them (retries included). */
    final AtomicInteger batchItems = new AtomicInteger();
    final AtomicInteger batchRequests = new AtomicInteger();
    /** Of {@link #unavailable} and {@link #outcomeUnknown}, the answers to batch items. */
    final AtomicInteger itemsUnavailable = new AtomicInteger();
    final AtomicInteger itemsOutcomeUnknown = new AtomicInteger();
    /** Batch requests sent and not yet answered, for a scenario that starts its fault while one is on its way. */
    final AtomicInteger batchesInFlight = new AtomicInteger();

    Workload(Http http, Ledger ledger) {
        this.http = http;
        this.ledger = ledger;
    }

    /** What the clients sent as batches, for a scenario's notes. */
    String batches() {
        return batchRequests + " batch requests carrying " + batchItems + " items (503 'not queued' " + itemsUnavailable
                + ", 503 'may have been queued' " + itemsOutcomeUnknown + ")";
    }

    void run(int books, double reviewShare, double keyShare, int clients, long seed) throws InterruptedException {
        run(books, reviewShare, keyShare, 0, clients, seed);
    }

    /** {@code batchShare} of the books go in batches; the rest one by one, as before batches existed. */
    void run(int books, double reviewShare, double keyShare, double batchShare, int clients, long seed) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger failures = new AtomicInteger();
        StringBuilder firstFailure = new StringBuilder();
        // A task starts a batch this often, so that batchShare of the books, on average, go in one.
        double batchStart = batchShare / (batchShare + (1 - batchShare) * (2 + LARGEST_BATCH) / 2.0);
        for (int i = 0; i < books; ) {
            Random random = random(seed, i);
            int first = i;
            int size = batchShare > 0 && random.nextDouble() < batchStart ? Math.min(books - i, 2 + random.nextInt(LARGEST_BATCH - 1)) : 1;
            i += size;
            pool.execute(() -> {
                try {
                    if (size == 1) {
                        single(first, random, reviewShare, keyShare);
                    } else {
                        batch(first, size, random, reviewShare, keyShare);
                    }
                } catch (RuntimeException e) {
                    if (failures.getAndIncrement() == 0) {
                        synchronized (firstFailure) {
                            firstFailure.append(e.getMessage());
                        }
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        if (failures.get() > 0) {
            throw new AssertionError(failures.get() + " requests were not accepted; the first: " + firstFailure);
        }
    }

    /**
     * One batch of {@code size} books numbered from {@code first}, half of them keyed, sent now on the caller's thread:
     * for a scenario that needs a batch to meet its fault, which the random workload may or may not send in time.
     */
    void batchNow(int first, int size, long seed) {
        batch(first, size, random(seed, first), 0, 0.5);
    }

    private void single(int n, Random random, double reviewShare, double keyShare) {
        String key = random.nextDouble() < keyShare ? "key-" + UUID.randomUUID() : null;
        String body = book(n).toString();
        Http.Response book = send("/books", body, key);
        if (key != null) {
            send("/books", body, key); // the client's retry: the same command
        }
        if (book != null && random.nextDouble() < reviewShare) {
            String bookId = book.json().get("bookId").asText();
            send("/books/" + bookId + "/reviews", review(n, 0).toString(), key == null ? null : key + "-review");
        }
    }

    /** Books {@code first} to {@code first + size - 1} in one batch; each reviewed book's reviews (one or two) in one more. */
    private void batch(int first, int size, Random random, double reviewShare, double keyShare) {
        List<ObjectNode> items = new ArrayList<>();
        List<ObjectNode> keyed = new ArrayList<>();
        for (int n = first; n < first + size; n++) {
            ObjectNode item = book(n);
            if (random.nextDouble() < keyShare) {
                item.put("idempotencyKey", "key-" + UUID.randomUUID());
                keyed.add(item);
            }
            items.add(item);
        }
        JsonNode[] books = sendItems("/books/batch", items);
        if (!keyed.isEmpty()) {
            sendItems("/books/batch", keyed); // the client's retry of its keyed items: the same commands
        }
        for (int i = 0; i < size; i++) {
            if (books[i] != null && random.nextDouble() < reviewShare) {
                String key = items.get(i).path("idempotencyKey").asText(null);
                List<ObjectNode> reviews = new ArrayList<>();
                for (int r = 0; r < 1 + random.nextInt(2); r++) {
                    ObjectNode review = review(first + i, r);
                    reviews.add(key == null ? review : review.put("idempotencyKey", key + "-review-" + r));
                }
                sendItems("/books/" + books[i].get("bookId").asText() + "/reviews/batch", reviews);
            }
        }
    }

    /**
     * The draws of the {@code i}-th client task. Not {@code new Random(seed + i)}: the first value of java.util.Random
     * hardly moves between neighbouring seeds (for seeds 1 to 1,500 it lies between 0.63 and 0.77), so the key share's
     * draw was never below 0.5 and no client ever sent a key.
     */
    static Random random(long seed, int i) {
        return new Random(new SplittableRandom(seed * 1_000_003L + i).nextLong()); // SplittableRandom mixes its seed's bits
    }

    private static ObjectNode book(int n) {
        return JSON.createObjectNode().put("title", "Load " + n).put("author", "Author " + (n % 97)).put("publisher", "P").put("year", 2001);
    }

    private static ObjectNode review(int n, int r) {
        return JSON.createObjectNode().put("reviewer", "Reader " + n + (r == 0 ? "" : "-" + r)).put("rating", 1 + (n + r) % 5);
    }

    /** The 202, or null when the answer was "may have been queued" and the client had no key to retry with. */
    private Http.Response send(String path, String body, String key) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Http.Response response = key == null ? http.post(path, body) : http.post(path, body, "Idempotency-Key", key);
            if (response.status() == 202) {
                ledger.accepted(response);
                return response;
            }
            String problem = response.status() == 503 ? response.json().path("type").asText() : "";
            if (problem.endsWith(":queue-outcome-unknown")) {
                outcomeUnknown.incrementAndGet();
                ledger.mayBeQueued(response);
                if (key == null) {
                    return null; // resending would be a second command; its fate shows at /commands/{id}
                }
            } else if (!problem.endsWith(":queue-unavailable")) {
                throw new IllegalStateException(path + " answered " + response.status() + ": " + response.body());
            } else {
                unavailable.incrementAndGet();
            }
            if (response.header("Retry-After") == null || System.nanoTime() > giveUp) {
                throw new IllegalStateException(path + " still answered " + response.status() + " after a minute: " + response.body());
            }
            sleep(200);
        }
    }

    /**
     * Sends the items as batches until each was answered 202, or "may have been queued" without a key: each later
     * batch holds only the items to send again. Returns each item's 202 result, or null for those left uncertain.
     */
    private JsonNode[] sendItems(String path, List<ObjectNode> items) {
        JsonNode[] accepted = new JsonNode[items.size()];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            pending.add(i);
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            ObjectNode request = JSON.createObjectNode();
            ArrayNode sent = request.putArray("items");
            pending.forEach(i -> sent.add(items.get(i)));
            batchesInFlight.incrementAndGet();
            Http.Response response;
            try {
                response = http.post(path, request.toString());
            } finally {
                batchesInFlight.decrementAndGet();
            }
            batchRequests.incrementAndGet();
            batchItems.addAndGet(pending.size());
            if (response.status() != 207) {
                throw new IllegalStateException(path + " answered " + response.status() + ": " + response.body());
            }
            JsonNode results = response.json().get("results");
            if (results.size() != pending.size()) {
                throw new IllegalStateException(path + " answered " + results.size() + " results for " + pending.size() + " items");
            }
            List<Integer> again = new ArrayList<>();
            for (int k = 0; k < pending.size(); k++) {
                int item = pending.get(k);
                JsonNode result = results.get(k);
                String problem = result.path("problem").path("type").asText();
                if (result.path("index").asInt(-1) != k) {
                    throw new IllegalStateException(path + ": result " + k + " has index " + result.path("index"));
                } else if (result.get("status").asInt() == 202) {
                    ledger.acceptedItem(result);
                    accepted[item] = result;
                } else if (problem.endsWith(":queue-outcome-unknown")) {
                    outcomeUnknown.incrementAndGet();
                    itemsOutcomeUnknown.incrementAndGet();
                    ledger.mayBeQueuedItem(result);
                    if (items.get(item).has("idempotencyKey")) {
                        again.add(item);
                    }
                } else if (problem.endsWith(":queue-unavailable")) {
                    unavailable.incrementAndGet();
                    itemsUnavailable.incrementAndGet();
                    again.add(item);
                } else {
                    throw new IllegalStateException(path + " answered item " + k + " " + result);
                }
            }
            if (again.isEmpty()) {
                return accepted;
            }
            if (response.header("Retry-After") == null || System.nanoTime() > giveUp) {
                throw new IllegalStateException(path + " still refused items after a minute: " + response.body());
            }
            pending = again;
            sleep(200);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
