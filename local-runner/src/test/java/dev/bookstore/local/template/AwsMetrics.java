package dev.bookstore.local.template;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CloudWatch metrics AWS publishes for the services this stack uses, each with the dimension sets it is published
 * under, as their guides list them: API Gateway's "Amazon API Gateway dimensions and metrics" (REST APIs), Amazon SQS's
 * "Available CloudWatch metrics for Amazon SQS", Lambda's "Types of metrics for Lambda functions" (with "Event source
 * mapping metrics", published once MetricsConfig asks for EventCount), and Amazon RDS's "Monitoring RDS Proxy metrics
 * with Amazon CloudWatch". A metric outside these draws an empty line.
 */
final class AwsMetrics {

    private static final Map<String, Map<String, List<Set<String>>>> PUBLISHED = new HashMap<>();

    static {
        List<Set<String>> api = List.of(Set.of("ApiName"), Set.of("ApiName", "Stage"), Set.of("ApiName", "Method", "Resource", "Stage"));
        publish("AWS/ApiGateway", api, "4XXError", "5XXError", "CacheHitCount", "CacheMissCount", "Count", "IntegrationLatency", "Latency");

        publish("AWS/SQS", List.of(Set.of("QueueName")), "ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesDelayed",
                "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesVisible", "NumberOfEmptyReceives",
                "NumberOfDeduplicatedSentMessages", "NumberOfMessagesDeleted", "NumberOfMessagesReceived", "NumberOfMessagesSent",
                "SentMessageSize");

        List<Set<String>> function = List.of(Set.of(), Set.of("FunctionName"), Set.of("FunctionName", "Resource"),
                Set.of("FunctionName", "ExecutedVersion"));
        publish("AWS/Lambda", function, "Invocations", "Errors", "DeadLetterErrors", "DestinationDeliveryFailures", "Throttles",
                "OversizedRecordCount", "ProvisionedConcurrencyInvocations", "ProvisionedConcurrencySpilloverInvocations",
                "RecursiveInvocationsDropped", "Duration", "PostRuntimeExtensionsDuration", "IteratorAge", "OffsetLag",
                "ConcurrentExecutions", "ProvisionedConcurrentExecutions", "ProvisionedConcurrencyUtilization",
                "UnreservedConcurrentExecutions", "ClaimedAccountConcurrency", "AsyncEventsReceived", "AsyncEventAge",
                "AsyncEventsDropped");
        publish("AWS/Lambda", List.of(Set.of("EventSourceMappingUUID")), "PolledEventCount", "FilteredOutEventCount",
                "InvokedEventCount", "FailedInvokeEventCount", "DroppedEventCount", "OnFailureDestinationDeliveredEventCount",
                "DeletedEventCount");

        List<Set<String>> proxy = List.of(Set.of("ProxyName"), Set.of("ProxyName", "Target", "TargetGroup"),
                Set.of("ProxyName", "TargetGroup", "TargetRole"), Set.of("ProxyName", "EndpointName"));
        publish("AWS/RDS", proxy, "AvailabilityPercentage", "ClientConnections", "ClientConnectionsClosed", "ClientConnectionsNoTLS",
                "ClientConnectionsReceived", "ClientConnectionsSetupFailedAuth", "ClientConnectionsSetupSucceeded", "ClientConnectionsTLS",
                "DatabaseConnectionRequests", "DatabaseConnectionRequestsWithTLS", "DatabaseConnections",
                "DatabaseConnectionsBorrowLatency", "DatabaseConnectionsCurrentlyBorrowed", "DatabaseConnectionsCurrentlyInTransaction",
                "DatabaseConnectionsCurrentlySessionPinned", "DatabaseConnectionsSetupFailed", "DatabaseConnectionsSetupSucceeded",
                "DatabaseConnectionsWithTLS", "MaxDatabaseConnectionsAllowed", "QueryDatabaseResponseLatency", "QueryRequests",
                "QueryRequestsNoTLS", "QueryRequestsTLS", "QueryResponseLatency");
    }

    private AwsMetrics() {
    }

    private static void publish(String namespace, List<Set<String>> dimensionSets, String... names) {
        for (String name : names) {
            PUBLISHED.computeIfAbsent(namespace, n -> new HashMap<>()).put(name, dimensionSets);
        }
    }

    /** Null when AWS publishes this metric under exactly these dimensions; otherwise what is wrong, for a rule's message. */
    static String problem(String namespace, String name, Set<String> dimensions) {
        Map<String, List<Set<String>>> metrics = PUBLISHED.get(namespace);
        if (metrics == null) {
            return namespace + " " + name + ", in a namespace this stack's services do not publish";
        }
        List<Set<String>> sets = metrics.get(name);
        if (sets == null) {
            return namespace + " " + name + ", a metric AWS does not publish";
        }
        return sets.contains(dimensions) ? null
                : namespace + " " + name + " by " + dimensions + ", dimensions AWS does not publish it under (it does under " + sets + ")";
    }
}
