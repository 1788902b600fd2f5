package dev.bookstore.local.template;

import java.util.List;
import java.util.Map;

/** One queue of the template; {@code queueName} as written (often an intrinsic). {@code deadLetterQueue} is the logical id of its DLQ, or null when it has none. */
public record QueueSpec(String logicalId, Object queueName, Integer visibilityTimeoutSeconds, Integer retentionSeconds, Integer maximumMessageSize,
                        Integer receiveWaitSeconds, String deadLetterQueue, Integer maxReceiveCount, boolean encrypted) {

    static QueueSpec of(String id, Map<String, Object> properties, SamTemplate template) {
        Map<String, Object> redrive = SamTemplate.map(properties.get("RedrivePolicy"));
        String dlq = null;
        Integer maxReceiveCount = null;
        if (!redrive.isEmpty()) {
            List<Object> target = SamTemplate.list(SamTemplate.map(redrive.get("deadLetterTargetArn")).get("Fn::GetAtt"));
            if (target.isEmpty()) {
                throw new IllegalArgumentException(id + ": deadLetterTargetArn must be !GetAtt <queue>.Arn");
            }
            dlq = String.valueOf(target.get(0));
            maxReceiveCount = template.integer(redrive.get("maxReceiveCount"), 0);
        }
        boolean encrypted = Boolean.TRUE.equals(properties.get("SqsManagedSseEnabled")) || properties.containsKey("KmsMasterKeyId");
        return new QueueSpec(id, properties.get("QueueName"), optional(template, properties.get("VisibilityTimeout")), optional(template, properties.get("MessageRetentionPeriod")),
                optional(template, properties.get("MaximumMessageSize")), optional(template, properties.get("ReceiveMessageWaitTimeSeconds")),
                dlq, maxReceiveCount, encrypted);
    }

    private static Integer optional(SamTemplate template, Object value) {
        return value == null ? null : template.integer(value, 0);
    }
}
