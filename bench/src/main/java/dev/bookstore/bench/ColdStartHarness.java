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

    /**
     * With {@code primed} or {@code unprimed} as the fourth argument and a second event's file as the fifth: after the
     * handler is built (and, primed, after its SnapStart hooks ran as before a snapshot and after a restore), the time of
     * the first event and of a second, warm one, printed as {@code first <ns> warm <ns>}, then the process ends.
     */
    private static void firstAndWarmEvents(Object handler, RequestHandler<Object, Object> typed, PojoSerializer<Object> input, String[] args,
                                           PrintStream out) throws Exception {
        if (args[3].equals("primed")) {
            org.crac.Resource hooks = (org.crac.Resource) handler.getClass().getMethod("priming").invoke(handler);
            hooks.beforeCheckpoint(null);
            hooks.afterRestore(null);
        }
        long[] took = new long[2];
        for (int event = 0; event < 2; event++) {
            String json = Files.readString(Path.of(event == 0 ? args[1] : args[4]));
            long started = System.nanoTime();
            typed.handleRequest(input.fromJson(json), new TestLambdaContext(handler.getClass().getSimpleName(), Duration.ofSeconds(30)));
            took[event] = System.nanoTime() - started;
        }
        out.println("first " + took[0] + " warm " + took[1]);
        out.flush();
        System.exit(0);
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
        if (args.length > 3) {
            firstAndWarmEvents(handler, typed, input, args, out);
        }
        Object response = typed.handleRequest(input.fromJson(Files.readString(Path.of(args[1]))), new TestLambdaContext(handlerClass.getSimpleName(), Duration.ofSeconds(30)));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        output.toJson(response, json);
        out.println("handled " + json.toString().replace('\n', ' '));
        out.flush();
        System.exit(0);
    }
}
