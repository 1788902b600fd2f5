package dev.bookstore.publisher;

import dev.bookstore.domain.FeedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The stack's custom event bus. Each event is one entry: {@code source} the stack's ({@link PublisherSettings#source()}),
 * {@code detail-type} the event's type, {@code time} its {@code occurredAt}, {@code detail} the event as docs/events.md
 * shows it. Entries go in PutEvents requests of at most 10 entries and 256 KB, counted as EventBridge counts them
 * ("Calculating Amazon EventBridge PutEvents event entry size"). PutEvents may refuse some entries of a request and
 * accept the rest; its answer lists one result per entry, in order, a refused one with an error code. The requests of
 * one claim go out at once, the first on the caller's thread and each other on a thread of its own: what a claim costs
 * is one round trip, not one per request.
 */
public final class EventBridgeBus implements EventBus {

    /** PutEvents' limits: entries per request, and bytes of all entries together. */
    static final int MAX_ENTRIES = 10;
    static final int MAX_REQUEST_BYTES = 256 * 1024;
    /** A {@code Time} counts 14 bytes. */
    private static final int TIME_BYTES = 14;

    private final EventBridgeClient client;
    private final String busName;
    private final String source;
    private final ExecutorService senders;

    public EventBridgeBus(EventBridgeClient client, String busName, String source) {
        this.client = client;
        this.busName = busName;
        this.source = source;
        this.senders = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "put-events");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public List<Long> send(List<FeedEvent> events) {
        List<List<FeedEvent>> requests = new ArrayList<>();
        List<List<PutEventsRequestEntry>> entriesOf = new ArrayList<>();
        List<FeedEvent> request = new ArrayList<>();
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        int bytes = 0;
        for (FeedEvent event : events) {
            PutEventsRequestEntry entry = entry(event);
            int size = size(entry);
            if (!entries.isEmpty() && (entries.size() == MAX_ENTRIES || bytes + size > MAX_REQUEST_BYTES)) {
                requests.add(request);
                entriesOf.add(entries);
                request = new ArrayList<>();
                entries = new ArrayList<>();
                bytes = 0;
            }
            request.add(event);
            entries.add(entry);
            bytes += size;
        }
        if (!entries.isEmpty()) {
            requests.add(request);
            entriesOf.add(entries);
        }
        // The others on threads of their own, the first on this one (a claim of one request needs no other thread).
        List<Future<List<Long>>> others = new ArrayList<>();
        for (int i = 1; i < requests.size(); i++) {
            others.add(put(requests.get(i), entriesOf.get(i)));
        }
        List<Long> accepted = new ArrayList<>();
        RuntimeException failed = null;
        if (!requests.isEmpty()) {
            try {
                accepted.addAll(putNow(requests.get(0), entriesOf.get(0)));
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        for (Future<List<Long>> sent : others) {
            try {
                accepted.addAll(sent.get());
            } catch (ExecutionException e) {
                failed = e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending events", e);
            }
        }
        if (failed != null) {
            throw failed; // after every request has ended: none is left sending while the claim rolls back
        }
        return accepted;
    }

    private Future<List<Long>> put(List<FeedEvent> events, List<PutEventsRequestEntry> entries) {
        return senders.submit(() -> putNow(events, entries));
    }

    private List<Long> putNow(List<FeedEvent> events, List<PutEventsRequestEntry> entries) {
        PutEventsResponse response = client.putEvents(r -> r.entries(entries));
        List<PutEventsResultEntry> results = response.entries();
        if (results.size() != events.size()) {
            throw new IllegalStateException("PutEvents answered " + results.size() + " results for " + events.size() + " entries");
        }
        List<Long> accepted = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).errorCode() == null && results.get(i).eventId() != null) {
                accepted.add(events.get(i).seq());
            }
        }
        return accepted;
    }

    PutEventsRequestEntry entry(FeedEvent event) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(source)
                .detailType(event.type())
                .time(event.occurredAt())
                .detail(event.document().toString())
                .build();
    }

    /** The entry's size as EventBridge counts it: Time, Source, DetailType and Detail (no Resources here). */
    static int size(PutEventsRequestEntry entry) {
        return TIME_BYTES + utf8(entry.source()) + utf8(entry.detailType()) + utf8(entry.detail());
    }

    private static int utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
