package dev.bookstore.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bookstore.local.http.LoopbackHttpServer;
import dev.bookstore.local.sqs.LocalQueues;
import dev.bookstore.local.template.EventRuleSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.event.ruler.GenericMachine;

/**
 * The template's event buses on this machine, as far as PutEvents: an HTTP endpoint speaking EventBridge's JSON
 * protocol ({@code X-Amz-Target: AWSEvents.PutEvents}), which the functions' own SDK client calls. Each entry becomes
 * the event EventBridge would make of it (version, id, detail-type, source, account, time, region, resources, detail),
 * is matched against the bus's rules with Event Ruler (the matching library EventBridge is built on), and is sent to
 * each matching rule's queue targets in ElasticMQ, so a subscriber can be tried here. Delivery happens before the answer,
 * so an accepted entry is already on its queues; EventBridge's own retries and target DLQs have no counterpart here.
 */
public final class LocalEventBus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUT_EVENTS = "AWSEvents.PutEvents";
    private static final int MAX_ENTRIES = 10;
    private static final int MAX_REQUEST_BYTES = 256 * 1024;

    /** One bus: its name, its rules by logical id, and its matcher. */
    private record Bus(String name, String arn, GenericMachine<String> rules, Map<String, List<String>> targetQueueUrls) {
    }

    private final HttpServer server;
    private final Map<String, Bus> busesByNameOrArn = new ConcurrentHashMap<>();
    private final SqsClient sqs;
    private final Map<String, AtomicLong> deliveredByRule = new ConcurrentHashMap<>();
    private volatile Consumer<Integer> afterDelivery = entries -> { };

    private LocalEventBus(HttpServer server, SqsClient sqs) {
        this.server = server;
        this.sqs = sqs;
    }

    /**
     * Starts the endpoint on a free port for these buses (logical id to name) and rules, whose targets are the
     * queues of {@code queues}.
     */
    public static LocalEventBus start(Map<String, String> busNames, List<EventRuleSpec> rules, LocalQueues queues) {
        try {
            HttpServer server = LoopbackHttpServer.create(0, 0);
            LocalEventBus bus = new LocalEventBus(server, queues.client());
            busNames.forEach((logicalId, name) -> {
                String arn = "arn:aws:events:" + LocalQueues.REGION + ":" + LocalQueues.ACCOUNT + ":event-bus/" + name;
                GenericMachine<String> machine = new GenericMachine<>();
                Map<String, List<String>> targets = new ConcurrentHashMap<>();
                for (EventRuleSpec rule : rules) {
                    if (rule.busLogicalId().equals(logicalId)) {
                        try {
                            machine.addRule(rule.logicalId(), rule.pattern());
                        } catch (IOException | RuntimeException e) {
                            throw new IllegalArgumentException(rule.logicalId() + ": Event Ruler refuses its EventPattern: " + e.getMessage(), e);
                        }
                        targets.put(rule.logicalId(), rule.targets().stream().map(t -> queues.queue(t.queueLogicalId()).url()).toList());
                        bus.deliveredByRule.put(rule.logicalId(), new AtomicLong());
                    }
                }
                Bus one = new Bus(name, arn, machine, targets);
                bus.busesByNameOrArn.put(name, one);
                bus.busesByNameOrArn.put(arn, one);
            });
            server.createContext("/", bus::handle);
            server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "local-event-bus");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return bus;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local event bus", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Events delivered so far by each rule (to each of its targets). */
    public Map<String, Long> deliveredByRule() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        deliveredByRule.forEach((rule, count) -> counts.put(rule, count.get()));
        return counts;
    }

    /** Fault injection: runs after a request's entries are on their queues and before the answer, with the entry count. */
    public void afterDelivery(Consumer<Integer> hook) {
        this.afterDelivery = hook;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod()) || !PUT_EVENTS.equals(target)) {
                answer(exchange, 400, error("UnknownOperationException", "the local event bus answers PutEvents only, not " + target));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode entries = JSON.readTree(body).path("Entries");
            if (!entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
                answer(exchange, 400, error("ValidationException", "Entries must hold 1 to " + MAX_ENTRIES + " entries"));
                return;
            }
            if (size(entries) > MAX_REQUEST_BYTES) {
                answer(exchange, 400, error("ValidationException", "Total size of the entries in the request is over the limit."));
                return;
            }
            ObjectNode response = JSON.createObjectNode();
            ArrayNode results = response.putArray("Entries");
            int failed = 0;
            int delivered = 0;
            Map<String, List<String>> byQueue = new java.util.LinkedHashMap<>();
            for (JsonNode entry : entries) {
                ObjectNode result = results.addObject();
                String problem = put(entry, result, byQueue);
                if (problem != null) {
                    failed++;
                } else {
                    delivered++;
                }
            }
            deliver(byQueue);
            response.put("FailedEntryCount", failed);
            afterDelivery.accept(delivered);
            answer(exchange, 200, response);
        } catch (RuntimeException e) {
            answer(exchange, 500, error("InternalException", e.toString()));
        }
    }

    /** One entry: its event delivered to every matching rule's targets; null, or the error code put on its result. */
    private String put(JsonNode entry, ObjectNode result, Map<String, List<String>> byQueue) {
        Bus bus = busesByNameOrArn.get(entry.path("EventBusName").asText("default"));
        if (bus == null) {
            return fail(result, "ResourceNotFoundException", "Event bus " + entry.path("EventBusName").asText("default") + " does not exist.");
        }
        if (!entry.hasNonNull("Source") || !entry.hasNonNull("DetailType") || !entry.hasNonNull("Detail")) {
            return fail(result, "InvalidArgument", "Parameters Source, DetailType and Detail are required.");
        }
        JsonNode detail;
        try {
            detail = JSON.readTree(entry.get("Detail").asText());
        } catch (IOException e) {
            return fail(result, "MalformedDetail", "Detail is malformed.");
        }
        if (!detail.isObject()) {
            return fail(result, "MalformedDetail", "Detail is malformed.");
        }
        String id = UUID.randomUUID().toString();
        Instant time = entry.hasNonNull("Time") ? Instant.ofEpochMilli(Math.round(entry.get("Time").asDouble() * 1000)) : Instant.now();
        ObjectNode event = JSON.createObjectNode()
                .put("version", "0")
                .put("id", id)
                .put("detail-type", entry.get("DetailType").asText())
                .put("source", entry.get("Source").asText())
                .put("account", LocalQueues.ACCOUNT)
                .put("time", time.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", LocalQueues.REGION);
        ArrayNode resources = event.putArray("resources");
        entry.path("Resources").forEach(resources::add);
        event.set("detail", detail);
        String text = event.toString();
        List<String> matched;
        try {
            matched = bus.rules().rulesForJSONEvent(text);
        } catch (Exception e) {
            return fail(result, "InternalException", "could not match the event: " + e.getMessage());
        }
        for (String rule : matched) {
            for (String queue : bus.targetQueueUrls().getOrDefault(rule, List.of())) {
                byQueue.computeIfAbsent(queue, q -> new java.util.ArrayList<>()).add(text);
                deliveredByRule.get(rule).incrementAndGet();
            }
        }
        result.put("EventId", id);
        return null;
    }

    /** Each queue's events in batches of ten, as few calls as SQS allows; a batch entry SQS refuses fails the request. */
    private void deliver(Map<String, List<String>> byQueue) {
        byQueue.forEach((queue, bodies) -> {
            for (int from = 0; from < bodies.size(); from += 10) {
                List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + 10));
                List<SendMessageBatchRequestEntry> batch = new java.util.ArrayList<>();
                for (int i = 0; i < chunk.size(); i++) {
                    batch.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(i)).messageBody(chunk.get(i)).build());
                }
                var sent = sqs.sendMessageBatch(r -> r.queueUrl(queue).entries(batch));
                if (!sent.failed().isEmpty()) {
                    throw new IllegalStateException("SQS refused " + sent.failed().size() + " deliveries to " + queue + ": " + sent.failed().get(0));
                }
            }
        });
    }

    private static String fail(ObjectNode result, String code, String message) {
        result.put("ErrorCode", code).put("ErrorMessage", message);
        return code;
    }

    /** As EventBridge counts an entry: 14 bytes for a Time, and the UTF-8 bytes of Source, DetailType, Detail and each resource. */
    private static int size(JsonNode entries) {
        int total = 0;
        for (JsonNode entry : entries) {
            total += entry.hasNonNull("Time") ? 14 : 0;
            for (String field : List.of("Source", "DetailType", "Detail")) {
                total += entry.path(field).asText("").getBytes(StandardCharsets.UTF_8).length;
            }
            for (JsonNode resource : entry.path("Resources")) {
                total += resource.asText().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return total;
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message);
    }

    private static void answer(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
