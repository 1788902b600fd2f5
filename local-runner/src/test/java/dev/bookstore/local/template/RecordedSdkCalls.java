package dev.bookstore.local.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The AWS API operations each Lambda handler class called during the build's tests, as testkit's SdkCallRecorder
 * wrote them under every module's {@code target/sdk-calls}, turned into the IAM actions that authorize them.
 */
record RecordedSdkCalls(Map<String, Set<String>> actionsByHandler) {

    /**
     * Batch operations that IAM authorizes with the single-message action (the Amazon SQS Developer Guide's API
     * permissions reference lists no action of their own).
     */
    private static final Map<String, String> SAME_ACTION = Map.of(
            "sqs:SendMessageBatch", "sqs:SendMessage",
            "sqs:DeleteMessageBatch", "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibilityBatch", "sqs:ChangeMessageVisibility");

    /** Services whose IAM prefix is not the SDK's service name (EventBridge's actions are "events:…"). */
    private static final Map<String, String> IAM_PREFIX = Map.of("eventbridge", "events");

    static RecordedSdkCalls read(Path repository) {
        Map<String, Set<String>> calls = new TreeMap<>();
        try (Stream<Path> modules = Files.list(repository)) {
            for (Path records : modules.map(m -> m.resolve("target/sdk-calls")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(records)) {
                    for (Path file : files.toList()) {
                        for (String line : Files.readAllLines(file)) {
                            String[] fields = line.split("\t");
                            calls.computeIfAbsent(fields[0], h -> new TreeSet<>()).add(action(fields[1], fields[2]));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the recorded SDK calls under " + repository, e);
        }
        return new RecordedSdkCalls(calls);
    }

    /** The IAM action for an SDK call: the service's name as IAM spells it (sqs, secretsmanager), and the operation. */
    static String action(String service, String operation) {
        String action = IAM_PREFIX.getOrDefault(service.toLowerCase(Locale.ROOT), service.toLowerCase(Locale.ROOT)) + ":" + operation;
        return SAME_ACTION.getOrDefault(action, action);
    }

    Set<String> of(String handlerClass) {
        return actionsByHandler.getOrDefault(handlerClass, Set.of());
    }

    /** The same records, with one more call; for showing that the rules notice code that calls something new. */
    RecordedSdkCalls with(String handlerClass, String action) {
        Map<String, Set<String>> more = new TreeMap<>(actionsByHandler);
        more.put(handlerClass, new TreeSet<>(of(handlerClass)));
        more.get(handlerClass).add(action);
        return new RecordedSdkCalls(more);
    }
}
