package dev.bookstore.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One function of the template: its handler class, its module (from {@code CodeUri}), its limits, its
 * environment (values as written, intrinsics included) and its events.
 */
public record FunctionSpec(String logicalId, String handlerClass, String module, int timeoutSeconds, int memoryMb,
                           Integer reservedConcurrency, Map<String, Object> environment, List<ApiRoute> routes,
                           List<SqsSource> sqsSources, Map<String, Object> properties) {

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

    static FunctionSpec of(String id, Map<String, Object> globals, Map<String, Object> properties, SamTemplate template) {
        Map<String, Object> merged = new LinkedHashMap<>(globals);
        merged.putAll(properties);
        Map<String, Object> environment = new LinkedHashMap<>(SamTemplate.map(SamTemplate.map(globals.get("Environment")).get("Variables")));
        environment.putAll(SamTemplate.map(SamTemplate.map(properties.get("Environment")).get("Variables")));
        String handler = String.valueOf(merged.get("Handler"));
        String codeUri = String.valueOf(merged.get("CodeUri"));
        List<ApiRoute> routes = new ArrayList<>();
        List<SqsSource> sources = new ArrayList<>();
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
            }
        });
        Object reserved = merged.get("ReservedConcurrentExecutions");
        return new FunctionSpec(id, handler.substring(0, handler.indexOf("::") < 0 ? handler.length() : handler.indexOf("::")),
                codeUri.contains("/") ? codeUri.substring(0, codeUri.indexOf('/')) : codeUri,
                template.integer(merged.get("Timeout"), 3), template.integer(merged.get("MemorySize"), 128),
                reserved == null ? null : template.integer(reserved, 0), environment, routes, sources, merged);
    }
}
