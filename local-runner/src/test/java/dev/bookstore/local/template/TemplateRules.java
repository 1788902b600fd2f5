package dev.bookstore.local.template;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.bookstore.retention.RetentionSettings;
import dev.bookstore.writer.WaitSettings;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules template.yaml must keep, each returning what breaks it. A test runs them on the real
 * template (nothing may break) and on broken copies (each rule must notice).
 */
final class TemplateRules {

    static final int DLQ_RETENTION = 14 * 24 * 3600;
    /**
     * Actions that AWS authorizes only on "*": a Lambda function's ENI lookups ("Giving Lambda functions access to
     * resources in an Amazon VPC") and X-Ray's trace uploads.
     */
    static final java.util.Set<String> ONLY_ON_EVERYTHING = java.util.Set.of("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords");

    private final String yaml;
    private final SamTemplate template;
    private final Path repository;

    /** The rules for this template text, whose handler classes live in the modules under {@code repository}. */
    TemplateRules(String yaml, Path repository) {
        this.yaml = yaml;
        this.template = SamTemplate.parse(yaml, Map.of());
        this.repository = repository;
    }

    List<String> all() {
        List<String> broken = new ArrayList<>();
        broken.addAll(queues());
        broken.addAll(eventSources());
        broken.addAll(connectionBudget());
        broken.addAll(noWildcardActions());
        broken.addAll(handlers());
        broken.addAll(functions());
        broken.addAll(bookWaits());
        broken.addAll(idempotencyWindow());
        broken.addAll(databaseAddress());
        broken.addAll(alarms());
        return broken;
    }

    /**
     * What an operator must hear about: every function but the schema migrator (whose failure fails the deploy) has an
     * alarm on its Errors and one on its Throttles, each on its own FunctionName; and every alarm notifies its recovery
     * too (OKActions the same as AlarmActions), so an operator sees it end.
     */
    List<String> alarms() {
        List<String> broken = new ArrayList<>();
        Map<String, Object> resources = SamTemplate.map(template.raw().get("Resources"));
        Map<String, java.util.Set<String>> alarmed = new java.util.TreeMap<>();
        resources.forEach((id, value) -> {
            Map<String, Object> resource = SamTemplate.map(value);
            if (!"AWS::CloudWatch::Alarm".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> properties = SamTemplate.map(resource.get("Properties"));
            if (!Objects.equals(properties.get("AlarmActions"), properties.get("OKActions"))) {
                broken.add(id + " does not notify its recovery: its OKActions are not its AlarmActions");
            }
            if ("AWS/Lambda".equals(properties.get("Namespace"))) {
                for (Object dimension : SamTemplate.list(properties.get("Dimensions"))) {
                    Map<String, Object> d = SamTemplate.map(dimension);
                    if ("FunctionName".equals(d.get("Name"))) {
                        alarmed.computeIfAbsent(String.valueOf(SamTemplate.map(d.get("Value")).get("Ref")), f -> new java.util.TreeSet<>())
                                .add(String.valueOf(properties.get("MetricName")));
                    }
                }
            }
        });
        for (FunctionSpec function : template.functions().values()) {
            if (function.logicalId().equals("SchemaMigrator")) {
                continue;
            }
            java.util.Set<String> metrics = alarmed.getOrDefault(function.logicalId(), java.util.Set.of());
            if (!metrics.containsAll(List.of("Errors", "Throttles"))) {
                broken.add(function.logicalId() + " has no alarm on its Errors and Throttles (alarmed: " + metrics + ")");
            }
        }
        return broken;
    }

    /**
     * The database settings that template.yaml repeats in each function that connects (each connects as its own user,
     * with its own timeouts, so they cannot move to Globals, which would also hand them to ApiIngest) are the same in
     * every copy: one proxy endpoint, port and database, IAM authentication, and TLS that verifies the proxy's name.
     */
    List<String> databaseAddress() {
        List<String> broken = new ArrayList<>();
        Map<String, Object> first = null;
        String firstName = null;
        for (Map.Entry<String, FunctionSpec> function : template.functions().entrySet()) {
            Map<String, Object> env = function.getValue().environment();
            if (!env.containsKey("BOOKSTORE_DB_HOST")) {
                continue;
            }
            Map<String, Object> address = new java.util.TreeMap<>();
            for (String name : List.of("BOOKSTORE_DB_HOST", "BOOKSTORE_DB_PORT", "BOOKSTORE_DB_NAME")) {
                address.put(name, env.get(name));
            }
            if (!"true".equals(String.valueOf(env.get("BOOKSTORE_DB_IAM_AUTH")))) {
                broken.add(function.getKey() + " connects without BOOKSTORE_DB_IAM_AUTH: 'true'");
            }
            if (!"verify-full".equals(String.valueOf(env.get("BOOKSTORE_DB_SSL_MODE")))) {
                broken.add(function.getKey() + "'s BOOKSTORE_DB_SSL_MODE is not verify-full");
            }
            if (first == null) {
                first = address;
                firstName = function.getKey();
            } else if (!first.equals(address)) {
                broken.add(function.getKey() + " reaches the database at " + address + ", " + firstName + " at " + first);
            }
        }
        return broken;
    }

    /**
     * A command's wait for its book or review agrees with its writer's queue: fewer waits than maxReceiveCount (the writer rejects before the
     * queue dead-letters), the whole back-off shorter than the queue's retention and no delay over SQS's 12 hours,
     * the copies of the queue's settings the writer checks at start equal to the queue's own, and its back-off set on
     * the queue it polls.
     */
    List<String> bookWaits() {
        List<String> broken = new ArrayList<>();
        for (FunctionSpec function : template.functions().values()) {
            Map<String, Object> env = function.environment();
            if (!env.containsKey(WaitSettings.WAIT_RECEIVES)) {
                continue;
            }
            if (function.sqsSources().size() != 1) {
                broken.add(function.logicalId() + ": a wait needs exactly one SQS source");
                continue;
            }
            String queueId = function.sqsSources().get(0).queueLogicalId();
            QueueSpec queue = template.queues().get(queueId);
            int receives = template.integer(env.get(WaitSettings.WAIT_RECEIVES), 0);
            int seconds = template.integer(env.get(WaitSettings.WAIT_SECONDS), 0);
            int retention = Objects.requireNonNullElse(queue.retentionSeconds(), 345_600);
            if (receives >= queue.maxReceiveCount()) {
                broken.add(function.logicalId() + ": " + WaitSettings.WAIT_RECEIVES + " " + receives + " must be below "
                        + queueId + "'s maxReceiveCount " + queue.maxReceiveCount());
            }
            if (seconds >= retention || seconds > 43_200L * (receives - 1)) {
                broken.add(function.logicalId() + ": " + WaitSettings.WAIT_SECONDS + " " + seconds + " must be below " + queueId
                        + "'s retention " + retention + " s and at most 12 h per delay");
            }
            if (template.integer(env.get(WaitSettings.QUEUE_MAX_RECEIVES), -1) != queue.maxReceiveCount()) {
                broken.add(function.logicalId() + ": " + WaitSettings.QUEUE_MAX_RECEIVES + " is not the queue's maxReceiveCount "
                        + queue.maxReceiveCount());
            }
            if (template.integer(env.get(WaitSettings.QUEUE_RETENTION_SECONDS), -1) != retention) {
                broken.add(function.logicalId() + ": " + WaitSettings.QUEUE_RETENTION_SECONDS + " is not the queue's retention "
                        + retention);
            }
            if (!Map.of("Ref", queueId).equals(env.get(WaitSettings.QUEUE_URL))) {
                broken.add(function.logicalId() + ": " + WaitSettings.QUEUE_URL + " is not !Ref " + queueId
                        + ", the queue it polls");
            }
        }
        return broken;
    }


    /** maxReceiveCount >= 5, visibility >= 6 x timeout + window, DLQ kept 14 days and longer than its source, SSE, sizes explicit. */
    List<String> queues() {
        List<String> broken = new ArrayList<>();
        Map<String, QueueSpec> queues = template.queues();
        for (QueueSpec queue : queues.values()) {
            if (!queue.encrypted()) {
                broken.add(queue.logicalId() + ": server-side encryption is off");
            }
            if (queue.maximumMessageSize() == null) {
                broken.add(queue.logicalId() + ": MaximumMessageSize is not set explicitly");
            }
            if (queue.deadLetterQueue() == null) {
                continue;
            }
            if (queue.maxReceiveCount() < 5) {
                broken.add(queue.logicalId() + ": maxReceiveCount " + queue.maxReceiveCount() + " is below 5");
            }
            QueueSpec dlq = queues.get(queue.deadLetterQueue());
            int sourceRetention = Objects.requireNonNullElse(queue.retentionSeconds(), 345_600);
            int dlqRetention = dlq == null ? 0 : Objects.requireNonNullElse(dlq.retentionSeconds(), 345_600);
            if (dlqRetention != DLQ_RETENTION || dlqRetention <= sourceRetention) {
                broken.add(queue.logicalId() + ": its DLQ keeps messages " + dlqRetention + " s; it must be 14 days and longer than the source's "
                        + sourceRetention + " s");
            }
            for (FunctionSpec function : template.functions().values()) {
                for (FunctionSpec.SqsSource source : function.sqsSources()) {
                    if (source.queueLogicalId().equals(queue.logicalId())) {
                        int needed = 6 * function.timeoutSeconds() + source.batchingWindowSeconds();
                        int visibility = Objects.requireNonNullElse(queue.visibilityTimeoutSeconds(), 30);
                        if (visibility < needed) {
                            broken.add(queue.logicalId() + ": visibility timeout " + visibility + " s is below 6 x " + function.logicalId()
                                    + "'s timeout + batching window = " + needed + " s");
                        }
                    }
                }
            }
        }
        return broken;
    }

    /** Every SQS event reports batch item failures and has a maximum concurrency. */
    List<String> eventSources() {
        List<String> broken = new ArrayList<>();
        for (FunctionSpec function : template.functions().values()) {
            for (FunctionSpec.SqsSource source : function.sqsSources()) {
                if (!source.reportsBatchItemFailures()) {
                    broken.add(function.logicalId() + "." + source.name() + ": no ReportBatchItemFailures");
                }
                if (source.maximumConcurrency() == null) {
                    broken.add(function.logicalId() + "." + source.name() + ": no ScalingConfig.MaximumConcurrency");
                }
                // "When you set BatchSize to a value greater than 10, you must set MaximumBatchingWindowInSeconds to at least 1"
                // (the Lambda developer guide, "Using Lambda with Amazon SQS"); CloudFormation refuses the mapping otherwise.
                if (source.batchSize() > 10 && source.batchingWindowSeconds() < 1) {
                    broken.add(function.logicalId() + "." + source.name() + ": a BatchSize of " + source.batchSize()
                            + " needs a MaximumBatchingWindowInSeconds of at least 1");
                }
            }
        }
        return broken;
    }

    /**
     * One connection per execution environment: for every budget the template offers, the writers' maximum
     * concurrency plus every database function's reserved concurrency stays within it.
     */
    List<String> connectionBudget() {
        List<String> broken = new ArrayList<>();
        Object allowed = SamTemplate.map(SamTemplate.map(template.raw().get("Parameters")).get("ProxyConnectionBudget")).get("AllowedValues");
        for (Object budget : SamTemplate.list(allowed)) {
            SamTemplate sized = SamTemplate.parse(yaml, Map.of("ProxyConnectionBudget", String.valueOf(budget)));
            int connections = 0;
            for (FunctionSpec function : sized.functions().values()) {
                if (!function.environment().containsKey("BOOKSTORE_DB_HOST")) {
                    continue;
                }
                int environments = function.sqsSources().stream().mapToInt(s -> Objects.requireNonNullElse(s.maximumConcurrency(), 1000)).sum();
                if (function.sqsSources().isEmpty()) {
                    environments = Objects.requireNonNullElse(function.reservedConcurrency(), 1000);
                }
                connections += environments;
            }
            if (connections > Integer.parseInt(String.valueOf(budget))) {
                broken.add("a ProxyConnectionBudget of " + budget + " allows " + connections + " connections");
            }
        }
        return broken;
    }

    /** No IAM statement anywhere allows an action "*" or "service:*", and our own statements name their resources. */
    List<String> noWildcardActions() {
        List<String> broken = new ArrayList<>();
        collectStatements(template.resources(), "Resources", broken);
        return broken;
    }

    private void collectStatements(Object node, String path, List<String> broken) {
        if (node instanceof Map<?, ?> map) {
            Object action = map.get("Action");
            // Trust policies name a Principal instead of a Resource; only permission statements are checked.
            if (action != null && map.containsKey("Effect") && !map.containsKey("Principal")) {
                for (Object one : action instanceof List<?> list ? list : List.of(action)) {
                    String text = String.valueOf(one);
                    if (text.equals("*") || text.endsWith(":*")) {
                        broken.add(path + ": action " + text);
                    }
                }
                Object resource = map.get("Resource");
                boolean onEverything = "*".equals(resource) || (resource instanceof List<?> list && list.contains("*"));
                boolean onlyOnEverything = (action instanceof List<?> list ? list : List.of(action)).stream().allMatch(ONLY_ON_EVERYTHING::contains);
                if (resource == null || (onEverything && !onlyOnEverything)) {
                    broken.add(path + ": statement without a scoped Resource");
                }
            }
            map.forEach((key, value) -> collectStatements(value, path + "." + key, broken));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectStatements(list.get(i), path + "[" + i + "]", broken);
            }
        }
    }

    /** Every Handler is a class of the module its CodeUri names, and a RequestHandler of the events it is wired to. */
    List<String> handlers() {
        List<String> broken = new ArrayList<>();
        for (FunctionSpec function : template.functions().values()) {
            Path source = repository.resolve(function.module()).resolve("src/main/java")
                    .resolve(function.handlerClass().replace('.', '/') + ".java");
            if (!Files.exists(source)) {
                broken.add(function.logicalId() + ": " + function.handlerClass() + " is not in module " + function.module());
            }
            Class<?> input;
            Class<?> output;
            if (!function.sqsSources().isEmpty()) {
                input = SQSEvent.class;
                output = SQSBatchResponse.class;
            } else if (!function.routes().isEmpty()) {
                input = APIGatewayProxyRequestEvent.class;
                output = APIGatewayProxyResponseEvent.class;
            } else if (!function.schedules().isEmpty()) {
                input = ScheduledEvent.class;
                output = null; // EventBridge invokes asynchronously and reads no response
            } else if (isCustomResourceProvider(function.logicalId())) {
                input = CloudFormationCustomResourceEvent.class;
                output = null;
            } else {
                input = null; // invoked by operators with their own payload
                output = null;
            }
            if (!function.sqsSources().isEmpty()) {
                // Its schedules must send what its handler reads: an SQS event (an empty batch), not the scheduled event.
                function.schedules().stream().filter(schedule -> schedule.input() == null || !schedule.input().contains("\"Records\""))
                        .forEach(schedule -> broken.add(function.logicalId() + "." + schedule.name()
                                + ": a schedule of a function on a queue must send an SQS event as its Input, such as {\"Records\":[]}"));
            }
            String problem = handlerProblem(function.handlerClass(), input, output);
            if (problem != null) {
                broken.add(function.logicalId() + ": " + problem);
            }
        }
        return broken;
    }

    /** Whether a custom resource of the template has this function (or its alias) as its ServiceToken. */
    private boolean isCustomResourceProvider(String function) {
        for (String id : template.resources().keySet()) {
            String type = template.type(id);
            if (type != null && (type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource"))) {
                Object token = template.properties(id).get("ServiceToken");
                if (String.valueOf(token).contains(function)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String handlerProblem(String className, Class<?> input, Class<?> output) {
        Class<?> handler;
        try {
            handler = Class.forName(className);
        } catch (ClassNotFoundException e) {
            return className + " is not on the class path";
        }
        for (Type type : handler.getGenericInterfaces()) {
            if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                Type[] arguments = parameterized.getActualTypeArguments();
                if ((input != null && arguments[0] != input) || (output != null && arguments[1] != output)) {
                    return className + " is a RequestHandler<" + arguments[0].getTypeName() + ", " + arguments[1].getTypeName()
                            + ">, not of " + input.getSimpleName() + (output == null ? "" : " to " + output.getSimpleName());
                }
                try {
                    handler.getConstructor();
                } catch (NoSuchMethodException e) {
                    return className + " has no public no-argument constructor for the Lambda runtime";
                }
                return null;
            }
        }
        return className + " does not implement RequestHandler";
    }

    /**
     * Explicit memory and timeout, JSON logs into a group with retention, DB socket timeouts below the function's, and
     * the API's time for SQS's answer (its retries included) below the ingest function's.
     */
    List<String> functions() {
        List<String> broken = new ArrayList<>();
        for (FunctionSpec function : template.functions().values()) {
            Map<String, Object> properties = function.properties();
            if (!properties.containsKey("Timeout") || !properties.containsKey("MemorySize")) {
                broken.add(function.logicalId() + ": Timeout and MemorySize must be explicit");
            }
            if (!"java21".equals(properties.get("Runtime"))) {
                broken.add(function.logicalId() + ": runtime " + properties.get("Runtime") + ", not java21");
            }
            Map<String, Object> logging = SamTemplate.map(properties.get("LoggingConfig"));
            if (!"JSON".equals(logging.get("LogFormat"))) {
                broken.add(function.logicalId() + ": log format is not JSON");
            }
            String group = String.valueOf(SamTemplate.map(logging.get("LogGroup")).get("Ref"));
            if (!template.resources().containsKey(group)
                    || !SamTemplate.map(template.resource(group).get("Properties")).containsKey("RetentionInDays")) {
                broken.add(function.logicalId() + ": no log group with a retention");
            }
            Object socketTimeout = function.environment().get("BOOKSTORE_DB_SOCKET_TIMEOUT_SECONDS");
            if (function.environment().containsKey("BOOKSTORE_DB_HOST")
                    && (socketTimeout == null || template.integer(socketTimeout, 0) >= function.timeoutSeconds())) {
                broken.add(function.logicalId() + ": the database socket timeout must be set below the function's timeout");
            }
            long publishing = dev.bookstore.ingest.CommandPublisher.BUDGET.toSeconds() + 1;
            if (function.handlerClass().equals(dev.bookstore.ingest.handler.ApiIngestHandler.class.getName())
                    && function.timeoutSeconds() <= publishing) {
                broken.add(function.logicalId() + ": timeout " + function.timeoutSeconds() + " s leaves no second to answer after the "
                        + "publisher's " + dev.bookstore.ingest.CommandPublisher.BUDGET.toSeconds() + " s of retries");
            }
        }
        return broken;
    }

    /**
     * A function that deletes outcomes after an idempotency window is told the queues' real retentions, and every window
     * the template allows is longer than the DLQ's retention plus the source queue's: a command replayed from a DLQ can
     * arrive that late, and must still find its outcome (RetentionSettings cites the SQS documentation).
     */
    List<String> idempotencyWindow() {
        List<String> broken = new ArrayList<>();
        int sourceRetention = 0;
        int dlqRetention = 0;
        for (QueueSpec queue : template.queues().values()) {
            if (queue.deadLetterQueue() != null) {
                sourceRetention = Math.max(sourceRetention, Objects.requireNonNullElse(queue.retentionSeconds(), 345_600));
                QueueSpec dlq = template.queues().get(queue.deadLetterQueue());
                dlqRetention = Math.max(dlqRetention, dlq == null ? 0 : Objects.requireNonNullElse(dlq.retentionSeconds(), 345_600));
            }
        }
        for (FunctionSpec function : template.functions().values()) {
            Map<String, Object> env = function.environment();
            if (!env.containsKey(RetentionSettings.WINDOW_DAYS)) {
                continue;
            }
            String id = function.logicalId();
            int toldSource = template.integer(env.get(RetentionSettings.SOURCE_QUEUE_RETENTION_SECONDS), 0);
            int toldDlq = template.integer(env.get(RetentionSettings.DLQ_RETENTION_SECONDS), 0);
            if (toldSource != sourceRetention) {
                broken.add(id + ": " + RetentionSettings.SOURCE_QUEUE_RETENTION_SECONDS + " is " + toldSource + ", not the command queues' "
                        + "MessageRetentionPeriod " + sourceRetention);
            }
            if (toldDlq != dlqRetention) {
                broken.add(id + ": " + RetentionSettings.DLQ_RETENTION_SECONDS + " is " + toldDlq + ", not the DLQs' MessageRetentionPeriod "
                        + dlqRetention);
            }
            // Every value the window may take: the literal, or the parameter's default and its smallest allowed value.
            Object window = env.get(RetentionSettings.WINDOW_DAYS);
            String parameter = String.valueOf(SamTemplate.map(window).get("Ref"));
            Map<String, Object> definition = SamTemplate.map(SamTemplate.map(template.raw().get("Parameters")).get(parameter));
            Map<String, Object> shortest = new LinkedHashMap<>();
            if (definition.isEmpty()) {
                shortest.put("the window as written", window);
            } else {
                shortest.put(parameter + "'s Default", definition.get("Default"));
                shortest.put(parameter + "'s MinValue", definition.get("MinValue"));
            }
            long needed = (long) dlqRetention + sourceRetention;
            shortest.forEach((what, days) -> {
                long seconds = days == null ? 0 : 86_400L * template.integer(days, 0);
                if (seconds <= needed) {
                    broken.add(id + ": " + what + " (" + (days == null ? "not set" : days + " days") + ") must be longer than the DLQs'"
                            + " retention plus the command queues' (" + needed + " s), or a replayed command could be applied again");
                }
            });
        }
        return broken;
    }
}
