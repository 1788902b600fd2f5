package dev.bookstore.replay;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One JSON line per change, appended and flushed before the change it records is made final: what was
 * moved where and under which new id, or what was discarded, with its full content.
 */
public final class AuditLog {

    private final Consumer<String> sink;
    private final Clock clock;

    public AuditLog(Consumer<String> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** Appends to a file, creating it if needed; each line is forced to disk before the call returns. */
    public static AuditLog toFile(Path file, Clock clock) {
        return new AuditLog(line -> {
            try {
                if (file.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                }
                try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.SYNC)) {
                    out.write(line);
                    out.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the audit file " + file + "; nothing more will be changed", e);
            }
        }, clock);
    }

    ObjectNode entry(String action, QueuePair queue) {
        return JsonNodeFactory.instance.objectNode().put("at", clock.instant().toString()).put("action", action).put("queue", queue.name());
    }

    void write(ObjectNode entry) {
        sink.accept(entry.toString());
    }

    static void putAttributes(ObjectNode entry, Map<String, MessageAttributeValue> attributes) {
        ObjectNode json = entry.putObject("attributes");
        attributes.forEach((name, value) -> json.putObject(name).put("dataType", value.dataType()).put("stringValue", value.stringValue()));
    }
}
