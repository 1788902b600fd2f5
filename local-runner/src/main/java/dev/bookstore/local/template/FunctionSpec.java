package dev.bookstore.local.template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One function of the template: its handler class, its module (from {@code CodeUri}), its limits, its
 * environment (values as written, intrinsics included) and its events.
 */
public record FunctionSpec(String logicalId, String handlerClass, String module, int timeoutSeconds, int memoryMb,
                           Integer reservedConcurrency, Map<String, Object> environment, List<ApiRoute> routes,
                           List<SqsSource> sqsSources, List<Schedule> schedules, Map<String, Object> properties) {

    /** {@code rate(1 hour)}, {@code rate(5 minutes)}: EventBridge's rate expressions, whose unit is singular for 1 only. */
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    /** An API event: {@code POST /books/{bookId}/reviews}. */
    public record ApiRoute(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** An SQS event source mapping, as Lambda would run it. */
    public record SqsSource(String name, String queueLogicalId, int batchSize, int batchingWindowSeconds,
                            List<String> functionResponseTypes, Integer maximumConcurrency) {

        public boolean reportsBatchItemFailures() {
            return functionResponseTypes.contains("ReportBatchItemFailures");
        }
    }

    /**
     * A {@code Schedule} (EventBridge rule) or {@code ScheduleV2} (EventBridge Scheduler) event at a fixed rate; {@code
     * input} is the JSON it sends instead of the scheduled event, or null.
     */
    public record Schedule(String name, String expression, Duration period, boolean enabled, String input) {
    }

    static FunctionSpec of(String id, Map<String, Object> globals, Map<String, Object> properties, SamTemplate template) {
        Map<String, Object> merged = new LinkedHashMap<>(globals);
        merged.putAll(properties);
        Map<String, Object> environment = new LinkedHashMap<>(SamTemplate.map(SamTemplate.map(globals.get("Environment")).get("Variables")));
        environment.putAll(SamTemplate.map(SamTemplate.map(properties.get("Environment")).get("Variables")));
        String handler = String.valueOf(merged.get("Handler"));
        String codeUri = String.valueOf(merged.get("CodeUri"));
        List<ApiRoute> routes = new ArrayList<>();
        List<SqsSource> sources = new ArrayList<>();
        List<Schedule> schedules = new ArrayList<>();
        SamTemplate.map(merged.get("Events")).forEach((name, event) -> {
            Map<String, Object> spec = SamTemplate.map(event);
            Map<String, Object> eventProperties = SamTemplate.map(spec.get("Properties"));
            if ("Api".equals(spec.get("Type"))) {
                routes.add(new ApiRoute(String.valueOf(eventProperties.get("Method")).toUpperCase(java.util.Locale.ROOT),
                        String.valueOf(eventProperties.get("Path"))));
            } else if ("SQS".equals(spec.get("Type"))) {
                Object queue = eventProperties.get("Queue");
                String queueId = String.valueOf(SamTemplate.list(SamTemplate.map(queue).get("Fn::GetAtt")).stream().findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(id + "." + name + ": Queue must be !GetAtt <queue>.Arn")));
                Object maximum = SamTemplate.map(eventProperties.get("ScalingConfig")).get("MaximumConcurrency");
                sources.add(new SqsSource(name, queueId,
                        template.integer(eventProperties.get("BatchSize"), 10),
                        template.integer(eventProperties.get("MaximumBatchingWindowInSeconds"), 0),
                        SamTemplate.list(eventProperties.get("FunctionResponseTypes")).stream().map(String::valueOf).toList(),
                        maximum == null ? null : template.integer(maximum, 0)));
            } else if ("Schedule".equals(spec.get("Type")) || "ScheduleV2".equals(spec.get("Type"))) {
                String expression = String.valueOf(template.resolve(eventProperties.get("Schedule".equals(spec.get("Type")) ? "Schedule" : "ScheduleExpression")));
                boolean enabled = !Boolean.FALSE.equals(eventProperties.get("Enabled")) && !"DISABLED".equals(eventProperties.get("State"));
                Object input = eventProperties.get("Input");
                schedules.add(new Schedule(name, expression, rate(id + "." + name, expression), enabled, input == null ? null : String.valueOf(input)));
            }
        });
        Object reserved = merged.get("ReservedConcurrentExecutions");
        return new FunctionSpec(id, handler.substring(0, handler.indexOf("::") < 0 ? handler.length() : handler.indexOf("::")),
                codeUri.contains("/") ? codeUri.substring(0, codeUri.indexOf('/')) : codeUri,
                template.integer(merged.get("Timeout"), 3), template.integer(merged.get("MemorySize"), 128),
                reserved == null ? null : template.integer(reserved, 0), environment, routes, sources, schedules, merged);
    }

    /** The period of a rate expression; anything else (a cron expression, a typo) is refused, naming the event. */
    static Duration rate(String event, String expression) {
        Matcher rate = RATE.matcher(expression.trim());
        if (!rate.matches()) {
            throw new IllegalArgumentException(event + ": the local runner runs schedules of the form rate(N minutes|hours|days) only, not "
                    + expression);
        }
        long value = Long.parseLong(rate.group(1));
        String unit = rate.group(2);
        if (value == 0 || (value == 1) != !unit.endsWith("s")) {
            throw new IllegalArgumentException(event + ": " + expression + " is not a rate EventBridge takes: a positive whole number, with"
                    + " the unit singular for 1 and plural otherwise, as in rate(1 hour) and rate(2 hours)");
        }
        Duration one = unit.startsWith("minute") ? Duration.ofMinutes(1) : unit.startsWith("hour") ? Duration.ofHours(1) : Duration.ofDays(1);
        return one.multipliedBy(value);
    }
}
