package dev.bookstore.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bookstore.client.Page;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The client's JSON. Fields the client does not know are ignored, so a server that adds one does not break callers;
 * the system tests hold the server to the spec instead. Configured once and never changed, so one mapper serves
 * every thread.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** A body that is not the JSON its status promises. */
    public static final class MalformedException extends RuntimeException {
        MalformedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** A merge patch: every field given, a null value written as {@code null} (removal), not left out. */
    public static byte[] mergePatch(Map<String, Object> fields) {
        ObjectNode patch = MAPPER.createObjectNode();
        fields.forEach((name, value) -> patch.set(name, value == null ? NullNode.getInstance() : MAPPER.valueToTree(value)));
        return write(patch);
    }

    /** A batch item: what the single route takes as its body, plus its {@code idempotencyKey}. */
    public static ObjectNode batchItem(Object value, String idempotencyKey) {
        ObjectNode item = MAPPER.valueToTree(value);
        return item.put("idempotencyKey", idempotencyKey);
    }

    public static byte[] batch(List<ObjectNode> items) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode array = body.putArray("items");
        items.forEach(array::add);
        return write(body);
    }

    public static <T> T read(byte[] body, Class<T> type) {
        return read(body, MAPPER.constructType(type));
    }

    public static <T> Page<T> page(byte[] body, Class<T> itemType) {
        return read(body, MAPPER.getTypeFactory().constructParametricType(Page.class, itemType));
    }

    public static JsonNode tree(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new MalformedException("not JSON", e);
        }
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedException("not a " + type.getSimpleName(), e);
        }
    }

    private static <T> T read(byte[] body, JavaType type) {
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new MalformedException("null, not a " + type.getRawClass().getSimpleName(), null);
            }
            return value;
        } catch (IOException e) {
            throw new MalformedException("not a " + type.getRawClass().getSimpleName(), e);
        }
    }
}
