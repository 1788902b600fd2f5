package dev.bookstore.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.bookstore.local.template.FunctionSpec;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One function of the template, run the way Lambda runs it: an execution environment (one handler
 * instance, built with the function's own environment variables) is created when no idle one is free, up
 * to the function's concurrency; each runs one invocation at a time; the event arrives as JSON and is
 * read, and the response written, by the runtime's own serializer; an invocation that outlives the
 * function's timeout is a failure and its environment is thrown away.
 */
public final class LocalFunction implements AutoCloseable {

    /** How one invocation ended: a response as JSON, or an error (init, handler exception, timeout). */
    public record Invocation(String responseJson, String errorType, String errorMessage) {
        public boolean failed() {
            return errorType != null;
        }
    }

    private final FunctionSpec spec;
    private final Map<String, String> environment;
    private final Class<?> handlerClass;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;
    private final Semaphore capacity;
    private final Deque<Environment> idle = new ArrayDeque<>();
    private final List<Environment> all = new ArrayList<>();
    private final PrintStream log;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger handlersRunning = new AtomicInteger();

    public LocalFunction(FunctionSpec spec, Map<String, String> environment, int concurrency, PrintStream log) {
        this.spec = spec;
        this.environment = Map.copyOf(environment);
        this.log = log;
        try {
            this.handlerClass = Class.forName(spec.handlerClass());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(spec.logicalId() + ": handler class " + spec.handlerClass() + " is not on the class path", e);
        }
        Type[] types = requestHandlerTypes(handlerClass);
        this.input = serializer(types[0]);
        this.output = serializer(types[1]);
        this.capacity = new Semaphore(concurrency, true);
    }

    public FunctionSpec spec() {
        return spec;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** Execution environments created so far (each holds its own handler instance, and its connection if it uses one). */
    public int environmentsCreated() {
        return created.get();
    }

    /**
     * Handler calls under way, timed-out ones included: Lambda stops a timed-out environment at once, but here its
     * thread is only interrupted, and a call that does not check (a JDBC round trip) runs on until it returns.
     */
    public int handlersRunning() {
        return handlersRunning.get();
    }

    /** Invokes the function with an event as Lambda would send it, in a trace of its own (as Lambda starts one for an SQS batch). */
    public Invocation invoke(String eventJson) throws InterruptedException {
        return invoke(eventJson, LocalTraces.newHeader());
    }

    /** Invokes the function in the given X-Ray trace (an API request's), waiting for a free environment first. */
    public Invocation invoke(String eventJson, String traceHeader) throws InterruptedException {
        capacity.acquire();
        try {
            return invokeIn(acquire(), eventJson, traceHeader);
        } finally {
            capacity.release();
        }
    }

    private Invocation invokeIn(Environment environment, String eventJson, String traceHeader) {
        if (environment.initError != null) {
            return new Invocation(null, "Runtime.InitError", environment.initError);
        }
        long deadline = System.currentTimeMillis() + spec.timeoutSeconds() * 1000L;
        Future<String> call = environment.thread.submit(() -> {
            handlersRunning.incrementAndGet();
            try {
                Object event = input.fromJson(eventJson);
                @SuppressWarnings("unchecked")
                RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) environment.handler;
                Object response = handler.handleRequest(event, new TestLambdaContext(spec.logicalId(), spec.memoryMb(), deadline, log, traceHeader));
                ByteArrayOutputStream json = new ByteArrayOutputStream();
                output.toJson(response, json);
                return json.toString(StandardCharsets.UTF_8);
            } finally {
                handlersRunning.decrementAndGet();
            }
        });
        try {
            String response = call.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            release(environment);
            return new Invocation(response, null, null);
        } catch (TimeoutException e) {
            call.cancel(true);
            discard(environment);
            return new Invocation(null, "Sandbox.Timedout", "Task timed out after " + spec.timeoutSeconds() + " seconds");
        } catch (ExecutionException e) {
            release(environment);
            Throwable cause = e.getCause();
            return new Invocation(null, cause.getClass().getName(), String.valueOf(cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            discard(environment);
            return new Invocation(null, "Runtime.Interrupted", "the runner is stopping");
        }
    }

    private synchronized Environment acquire() {
        Environment environment = idle.pollFirst();
        if (environment != null) {
            return environment;
        }
        environment = new Environment();
        all.add(environment);
        created.incrementAndGet();
        return environment;
    }

    private synchronized void release(Environment environment) {
        idle.addFirst(environment);
    }

    private synchronized void discard(Environment environment) {
        all.remove(environment);
        environment.close();
    }

    @Override
    public synchronized void close() {
        all.forEach(Environment::close);
        all.clear();
        idle.clear();
    }

    /** One execution environment: a handler instance and the thread it runs on. */
    private final class Environment {
        final ExecutorService thread;
        Object handler;
        String initError;

        Environment() {
            thread = Executors.newSingleThreadExecutor(runnable -> {
                Thread t = new Thread(runnable, spec.logicalId() + "-env-" + created.get());
                t.setDaemon(true);
                return t;
            });
            try {
                handler = thread.submit(this::construct).get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
                initError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                initError = "interrupted during init";
            }
        }

        private Object construct() throws ReflectiveOperationException {
            try {
                Constructor<?> withEnvironment = handlerClass.getConstructor(Map.class);
                return withEnvironment.newInstance(environment);
            } catch (NoSuchMethodException e) {
                return handlerClass.getConstructor().newInstance();
            }
        }

        void close() {
            thread.shutdownNow();
            if (handler instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // The environment is going away; there is nobody to tell.
                }
            }
        }
    }

    private static Type[] requestHandlerTypes(Class<?> handlerClass) {
        for (Type type : handlerClass.getGenericInterfaces()) {
            if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                return parameterized.getActualTypeArguments();
            }
        }
        throw new IllegalStateException(handlerClass.getName() + " does not implement RequestHandler<I, O>");
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type) {
        return LambdaEventSerializers.serializerFor((Class<Object>) type, LocalFunction.class.getClassLoader());
    }
}
