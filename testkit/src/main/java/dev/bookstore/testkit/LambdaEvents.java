package dev.bookstore.testkit;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes Lambda event JSON with the serializer the Java runtime itself uses; plain Jackson
 * would silently read fields such as {@code Records} as null.
 */
public final class LambdaEvents {

    private LambdaEvents() {
    }

    /** Reads a fixture from the test class path, e.g. {@code events/sqs-book.json}. */
    public static <T> T load(String resource, Class<T> type) {
        try (InputStream in = LambdaEvents.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource + " on the test class path");
            }
            return serializer(type).fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T fromJson(String json, Class<T> type) {
        return serializer(type).fromJson(json);
    }

    public static <T> String toJson(T value, Class<T> type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer(type).toJson(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, LambdaEvents.class.getClassLoader());
    }
}
