package dev.bookstore.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Runs in a fresh JVM whose class path is one Lambda's shaded jar, the runtime's serializer, this harness and
 * testkit's invocation context: builds the handler as the runtime would, reads one real event, invokes it,
 * writes the response, and prints {@code handled} — the moment the cold start ends.
 */
public final class ColdStartHarness {

    /** In place of a handler class: start, handle nothing, and say so; the baseline a cold start is compared with. */
    static final String NOTHING = "nothing";

    private ColdStartHarness() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args[0].equals(NOTHING)) {
            out.println("handled nothing");
            out.flush();
            System.exit(0);
        }
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the handler's own log lines
        Class<?> handlerClass = Class.forName(args[0]);
        Properties env = new Properties();
        try (InputStream in = new FileInputStream(args[2])) {
            env.load(in);
        }
        Map<String, String> environment = new HashMap<>();
        env.forEach((k, v) -> environment.put((String) k, (String) v));
        Object handler = handlerClass.getConstructor(Map.class).newInstance(environment);
        Type[] types = null;
        for (Type type : handlerClass.getGenericInterfaces()) {
            if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                types = parameterized.getActualTypeArguments();
            }
        }
        @SuppressWarnings("unchecked")
        PojoSerializer<Object> input = LambdaEventSerializers.serializerFor((Class<Object>) types[0], ColdStartHarness.class.getClassLoader());
        @SuppressWarnings("unchecked")
        PojoSerializer<Object> output = LambdaEventSerializers.serializerFor((Class<Object>) types[1], ColdStartHarness.class.getClassLoader());
        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> typed = (RequestHandler<Object, Object>) handler;
        Object response = typed.handleRequest(input.fromJson(Files.readString(Path.of(args[1]))), new TestLambdaContext(handlerClass.getSimpleName(), Duration.ofSeconds(30)));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        output.toJson(response, json);
        out.println("handled " + json.toString().replace('\n', ' '));
        out.flush();
        System.exit(0);
    }
}
