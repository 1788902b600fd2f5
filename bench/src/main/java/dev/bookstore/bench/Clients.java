package dev.bookstore.bench;

import dev.bookstore.client.BookstoreClient;
import dev.bookstore.client.RetryPolicy;
import dev.bookstore.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;

/** The workloads' client: bookstore-client as callers use it, but without retries, so a refusal fails the run. */
final class Clients {

    private Clients() {
    }

    static BookstoreClient of(LocalStack stack, ExecutorService httpThreads) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads).build();
        return BookstoreClient.builder().endpoint(URI.create(stack.apiUrl())).httpClient(http).retryPolicy(RetryPolicy.none()).build();
    }
}
