package dev.bookstore.testkit;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records which AWS API operations each Lambda handler calls during the tests, so that the expanded-template
 * test can hold every function's role to exactly what its code does: a line {@code handler-class, service,
 * operation} per distinct call, in a file under the directory the system property {@value #DIRECTORY} names
 * (the build sets it for surefire and failsafe). The SDK installs it in every client it builds, through
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}; testkit is on test class paths only,
 * so no Lambda jar carries it. A call made outside a handler (test setup, the local runner's pollers) is not
 * the function's and is not recorded.
 */
public final class SdkCallRecorder implements ExecutionInterceptor {

    public static final String DIRECTORY = "bookstore.sdk-calls";

    private static final Set<String> RECORDED = ConcurrentHashMap.newKeySet();
    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String directory = System.getProperty(DIRECTORY);
        Class<?> handler = directory == null ? null : outermostHandler();
        if (handler == null) {
            return;
        }
        String line = handler.getName() + "\t" + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "\t"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (RECORDED.add(line)) {
            append(Path.of(directory), line);
        }
    }

    /** The Lambda handler class furthest down the stack, in its constructor (init) or handleRequest. */
    private static Class<?> outermostHandler() {
        return STACK.walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> RequestHandler.class.isAssignableFrom(c) || RequestStreamHandler.class.isAssignableFrom(c))
                .reduce((inner, outer) -> outer).orElse(null));
    }

    private static synchronized void append(Path directory, String line) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("calls-" + ManagementFactory.getRuntimeMXBean().getPid() + ".tsv"), line + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not record an SDK call in " + directory, e);
        }
    }
}
