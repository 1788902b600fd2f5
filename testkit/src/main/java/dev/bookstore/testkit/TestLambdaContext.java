package dev.bookstore.testkit;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * The context Lambda's runtime passes to one invocation: a request id, the function, the time left before its
 * timeout, and a logger. For tests, the bench and the local runner, which invokes the real handlers with it.
 */
public final class TestLambdaContext implements Context {

    private final String requestId = UUID.randomUUID().toString();
    private final String functionName;
    private final int memoryMb;
    private final long deadlineMillis;
    private final PrintStream log;
    private final String traceHeader;

    /** @param traceHeader the invocation's X-Ray trace header, as Lambda gives a traced function; null for none */
    public TestLambdaContext(String functionName, int memoryMb, long deadlineMillis, PrintStream log, String traceHeader) {
        this.functionName = functionName;
        this.memoryMb = memoryMb;
        this.deadlineMillis = deadlineMillis;
        this.log = log;
        this.traceHeader = traceHeader;
    }

    public TestLambdaContext(String functionName, int memoryMb, long deadlineMillis, PrintStream log) {
        this(functionName, memoryMb, deadlineMillis, log, null);
    }

    public TestLambdaContext(String functionName, Duration timeout) {
        this(functionName, 512, System.currentTimeMillis() + timeout.toMillis(), System.out);
    }

    public TestLambdaContext() {
        this("test-function", Duration.ofSeconds(30));
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
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
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public String getXrayTraceId() {
        return traceHeader;
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                log.print(message);
            }

            @Override
            public void log(byte[] message) {
                log.print(new String(message, StandardCharsets.UTF_8));
            }

            @Override
            public void log(String message, LogLevel level) {
                log(message);
            }
        };
    }
}
