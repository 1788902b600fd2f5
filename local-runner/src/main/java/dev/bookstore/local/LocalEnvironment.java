package dev.bookstore.local;

import dev.bookstore.local.sqs.LocalQueues;
import dev.bookstore.local.template.FunctionSpec;
import dev.bookstore.local.template.QueueSpec;
import dev.bookstore.local.template.SamTemplate;
import dev.bookstore.publisher.PublisherSettings;
import dev.bookstore.writer.WaitSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function's environment variables as the template writes them, with local values where AWS would
 * resolve a reference: queue URLs and ARNs of ElasticMQ, and, instead of the proxy's endpoint with IAM
 * auth and TLS, the local stand-in for the proxy (the database user stays). Plus what Lambda itself sets:
 * region, credentials, name.
 */
final class LocalEnvironment {

    static final String STACK_NAME = "bookstore";
    /**
     * What the local database replaces: the proxy endpoint, IAM auth and TLS have no local counterpart. The user
     * stays: the local proxy connects each function as its database role, as RDS Proxy does.
     */
    private static final List<String> PROXY_SETTINGS = List.of("BOOKSTORE_DB_HOST", "BOOKSTORE_DB_PORT", "BOOKSTORE_DB_NAME",
            "BOOKSTORE_DB_IAM_AUTH", "BOOKSTORE_DB_SSL_MODE", "BOOKSTORE_DB_PASSWORD", "BOOKSTORE_DB_SECRET_ARN");
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{([^}]+)}");

    private final SamTemplate template;
    private final LocalQueues queues;
    private final String databaseUrl;
    private final String sqsEndpoint;
    private final Integer fastRetryVisibilitySeconds;
    private final String eventsEndpoint;

    /**
     * {@code fastRetryVisibilitySeconds} is the visibility timeout under {@code --fast-retries}, or null; {@code
     * eventsEndpoint} the local event bus's.
     */
    LocalEnvironment(SamTemplate template, LocalQueues queues, String databaseUrl, String sqsEndpoint, Integer fastRetryVisibilitySeconds,
                     String eventsEndpoint) {
        this.template = template;
        this.queues = queues;
        this.databaseUrl = databaseUrl;
        this.sqsEndpoint = sqsEndpoint;
        this.fastRetryVisibilitySeconds = fastRetryVisibilitySeconds;
        this.eventsEndpoint = eventsEndpoint;
    }

    Map<String, String> of(FunctionSpec function) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", LocalQueues.REGION);
        env.put("AWS_DEFAULT_REGION", LocalQueues.REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(function.memoryMb()));
        env.put("BOOKSTORE_SQS_ENDPOINT", sqsEndpoint);
        env.put(PublisherSettings.EVENTS_ENDPOINT, eventsEndpoint);
        boolean usesProxy = function.environment().containsKey("BOOKSTORE_DB_HOST");
        function.environment().forEach((name, value) -> {
            if (!(usesProxy && PROXY_SETTINGS.contains(name))) {
                env.put(name, resolve(function, name, value));
            }
        });
        if (usesProxy) {
            env.put("BOOKSTORE_DB_URL", databaseUrl);
        }
        if (fastRetryVisibilitySeconds != null && env.containsKey(WaitSettings.WAIT_SECONDS)) {
            long seconds = Long.parseLong(env.get(WaitSettings.WAIT_SECONDS));
            env.put(WaitSettings.WAIT_SECONDS, String.valueOf(Math.max(1, seconds / FAST_BOOK_WAIT_DIVISOR)));
        }
        return env;
    }

    /**
     * Fast retries shorten a review's wait for its book as they shorten every retry: 12 hours become 24 s, spaced the
     * same way (1 s, 4 s, 19 s).
     */
    static final long FAST_BOOK_WAIT_DIVISOR = 1800;

    private String resolve(FunctionSpec function, String name, Object value) {
        Object resolved = template.resolve(value);
        if (resolved instanceof String || resolved instanceof Number || resolved instanceof Boolean) {
            return String.valueOf(resolved);
        }
        Map<String, Object> intrinsic = map(resolved);
        if (intrinsic.containsKey("Ref")) {
            String target = String.valueOf(intrinsic.get("Ref"));
            if (queues.queues().containsKey(target)) {
                return queues.queue(target).url();
            }
            if (template.eventBuses().containsKey(target)) {
                return busName(target, template); // an event bus's Ref is its name
            }
            String pseudo = pseudo(target);
            if (pseudo != null) {
                return pseudo;
            }
        }
        if (intrinsic.get("Fn::GetAtt") instanceof List<?> attribute && attribute.size() == 2) {
            String target = String.valueOf(attribute.get(0));
            String field = String.valueOf(attribute.get(1));
            if (queues.queues().containsKey(target)) {
                LocalQueues.Queue queue = queues.queue(target);
                switch (field) {
                    case "Arn":
                        return queue.arn();
                    case "QueueName":
                        return queue.name();
                    case "QueueUrl":
                        return queue.url();
                    default:
                        break;
                }
            }
            if ("AWS::RDS::DBProxy".equals(template.type(target)) && "Endpoint".equals(field)) {
                return "127.0.0.1";
            }
        }
        if (intrinsic.get("Fn::Sub") instanceof String text) {
            String substituted = substitute(text, template);
            if (substituted != null) {
                return substituted;
            }
        }
        throw unresolvable(function, name, value);
    }

    /** A queue's local name: its QueueName with the stack's name substituted, or one made from its logical id. */
    static String queueName(QueueSpec queue, SamTemplate template) {
        Object name = queue.queueName();
        if (name instanceof String literal) {
            return literal;
        }
        if (map(name).get("Fn::Sub") instanceof String text && substitute(text, template) != null) {
            return substitute(text, template);
        }
        return STACK_NAME + "-" + queue.logicalId().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** An event bus's local name: its Name with the stack's name substituted, or one made from its logical id. */
    static String busName(String logicalId, SamTemplate template) {
        Object name = template.eventBuses().get(logicalId);
        if (name instanceof String literal) {
            return literal;
        }
        if (map(name).get("Fn::Sub") instanceof String text && substitute(text, template) != null) {
            return substitute(text, template);
        }
        return STACK_NAME + "-" + logicalId.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** ${AWS::…} pseudo parameters and template parameters substituted, or null when something else is referenced. */
    private static String substitute(String text, SamTemplate template) {
        Matcher matcher = SUBSTITUTION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group(1);
            String replacement = pseudo(key) != null ? pseudo(key) : template.parameters().get(key);
            if (replacement == null) {
                return null;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String pseudo(String name) {
        switch (name) {
            case "AWS::Region":
                return LocalQueues.REGION;
            case "AWS::AccountId":
                return LocalQueues.ACCOUNT;
            case "AWS::StackName":
                return STACK_NAME;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            default:
                return null;
        }
    }

    private static IllegalStateException unresolvable(FunctionSpec function, String name, Object value) {
        return new IllegalStateException(function.logicalId() + ": the local runner cannot give " + name + " a local value for " + value
                + "; use a literal, a parameter, a queue's Ref or GetAtt, an event bus's Ref, or the proxy's endpoint");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
