package dev.bookstore.telemetry;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An X-Ray trace header, {@code Root=1-…;Parent=…;Sampled=1}: Lambda gives one to each invocation of a traced function,
 * and SQS carries one with a message as its {@code AWSTraceHeader} system attribute, so an API request, the command it
 * queued and the writer batch that applied it are linked in one trace ("Amazon SQS and AWS X-Ray", X-Ray developer
 * guide). Its {@link #traceId()} goes in the log lines beside the correlation id.
 */
public record TraceHeader(String value) {

    /** The name of the SQS message system attribute that carries it. */
    public static final String SQS_ATTRIBUTE = "AWSTraceHeader";
    /** The system property the Java runtime sets for each invocation (environment variables cannot change per invocation). */
    static final String RUNTIME_PROPERTY = "com.amazonaws.xray.traceHeader";

    private static final Pattern ROOT = Pattern.compile("(?:^|;)\\s*Root=(1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24})\\s*(?:;|$)");

    /** This invocation's header: from its context (aws-lambda-java-core 1.4), else the runtime's property; null untraced. */
    public static TraceHeader of(Context context) {
        String fromContext = context == null ? null : context.getXrayTraceId();
        TraceHeader header = parse(fromContext);
        return header != null ? header : parse(System.getProperty(RUNTIME_PROPERTY));
    }

    /** The header, or null when {@code value} has no well-formed root trace id (a caller may send anything). */
    public static TraceHeader parse(String value) {
        return value != null && ROOT.matcher(value).find() ? new TraceHeader(value.trim()) : null;
    }

    /** The root trace id, {@code 1-5759e988-bd862e3fe1be46a994272793}: what X-Ray's console and the logs search by. */
    public String traceId() {
        Matcher root = ROOT.matcher(value);
        return root.find() ? root.group(1) : null;
    }

    /** The trace id of a header that may be absent. */
    public static String traceIdOf(TraceHeader header) {
        return header == null ? null : header.traceId();
    }
}
