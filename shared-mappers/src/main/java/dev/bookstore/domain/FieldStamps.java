package dev.bookstore.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * For each field of a row set since its creation, the order key of the newest command that set it; a field without a
 * stamp was last set by the command that created the row. Stored as JSONB: {@code {"title": {"at": ..., "by": ...}}}.
 */
public record FieldStamps(Map<String, OrderKey> stamps) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public FieldStamps {
        stamps = Map.copyOf(stamps);
    }

    public static FieldStamps parse(String json) {
        if (json == null || json.isBlank()) {
            return new FieldStamps(Map.of());
        }
        try {
            Map<String, OrderKey> stamps = new TreeMap<>();
            JSON.readTree(json).fields().forEachRemaining(field -> {
                JsonNode stamp = field.getValue();
                stamps.put(field.getKey(), new OrderKey(Instant.parse(stamp.path("at").asText()), UUID.fromString(stamp.path("by").asText())));
            });
            return new FieldStamps(stamps);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("field stamps that this build did not write: " + json, e);
        }
    }

    /** The key of the command that last set {@code field}: its own stamp, or the row's creation. */
    public OrderKey of(String field, OrderKey created) {
        return stamps.getOrDefault(field, created);
    }

    public FieldStamps with(String field, OrderKey key) {
        Map<String, OrderKey> next = new TreeMap<>(stamps);
        next.put(field, key);
        return new FieldStamps(next);
    }

    public String toJson() {
        ObjectNode json = JSON.createObjectNode();
        new TreeMap<>(stamps).forEach((field, key) -> json.putObject(field).put("at", key.at().toString()).put("by", key.by().toString()));
        return json.toString();
    }
}
