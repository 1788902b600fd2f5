package dev.bookstore.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Runs in a fresh JVM whose class path is one Lambda's shaded jar plus the runtime's serializer: builds the
 * handler as the runtime would, reads one real event, invokes it, writes the response, and prints
 * {@code handled} — the moment the cold start ends. Only JDK, Lambda and jar classes are used here.
 */
public final class ColdStartHarness {

    private ColdStartHarness() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
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
        Object response = typed.handleRequest(input.fromJson(Files.readString(Path.of(args[1]))), new HarnessContext());
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        output.toJson(response, json);
        out.println("handled " + json.toString().replace('\n', ' '));
        out.flush();
        System.exit(0);
    }

    private static final class HarnessContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "cold-start";
        }

        @Override
        public String getLogGroupName() {
            return "bench";
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return "bench";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:bench";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                }

                @Override
                public void log(byte[] message) {
                }
            };
        }
    }
}
