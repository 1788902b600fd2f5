package dev.bookstore.local.faults;

import dev.bookstore.local.Http;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients of the API: books, a share of them reviewed right after their book was accepted, a share sent
 * with an Idempotency-Key and retried. A careful client takes a 503 at its word: "not queued" is retried,
 * key or no key; "may have been queued" is retried only with the same key, and without one the command goes
 * in the ledger as uncertain. Any other answer but 202 fails the scenario.
 */
final class Workload {

    private final Http http;
    private final Ledger ledger;
    final AtomicInteger unavailable = new AtomicInteger();
    final AtomicInteger outcomeUnknown = new AtomicInteger();

    Workload(Http http, Ledger ledger) {
        this.http = http;
        this.ledger = ledger;
    }

    void run(int books, double reviewShare, double keyShare, int clients, long seed) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger failures = new AtomicInteger();
        StringBuilder firstFailure = new StringBuilder();
        for (int i = 0; i < books; i++) {
            Random random = random(seed, i);
            int n = i;
            pool.execute(() -> {
                try {
                    String key = random.nextDouble() < keyShare ? "key-" + UUID.randomUUID() : null;
                    String body = "{\"title\":\"Load " + n + "\",\"author\":\"Author " + (n % 97) + "\",\"publisher\":\"P\",\"year\":2001}";
                    Http.Response book = send("/books", body, key);
                    if (key != null) {
                        send("/books", body, key); // the client's retry: the same command
                    }
                    if (book != null && random.nextDouble() < reviewShare) {
                        String bookId = book.json().get("bookId").asText();
                        send("/books/" + bookId + "/reviews", "{\"reviewer\":\"Reader " + n + "\",\"rating\":" + (1 + n % 5) + "}",
                                key == null ? null : key + "-review");
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
     * The draws of the {@code i}-th client task. Not {@code new Random(seed + i)}: the first value of java.util.Random
     * hardly moves between neighbouring seeds (for seeds 1 to 1,500 it lies between 0.63 and 0.77), so the key share's
     * draw was never below 0.5 and no client ever sent a key.
     */
    static Random random(long seed, int i) {
        return new Random(new SplittableRandom(seed * 1_000_003L + i).nextLong()); // SplittableRandom mixes its seed's bits
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
