package dev.bookstore.testkit;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * SQS events as Lambda's event source mapping sends them: the JSON is built in AWS's shape and read
 * back through the runtime's serializer, as a handler on AWS would receive it.
 */
public final class SqsEvents {

    public static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:test-commands";

    private SqsEvents() {
    }

    /**
     * One message: its id, body, how many times SQS has delivered it (this time included), and the receipt handle of
     * this delivery: a real one for a message received from a queue, otherwise null and made up in the event.
     */
    public record Message(String messageId, String body, int receiveCount, String receiptHandle) {
        public Message(String messageId, String body, int receiveCount) {
            this(messageId, body, receiveCount, null);
        }

        public static Message of(String body) {
            return new Message(UUID.randomUUID().toString(), body, 1);
        }

        /** A message as received from a real queue (asked for with its ApproximateReceiveCount). */
        public static Message received(software.amazon.awssdk.services.sqs.model.Message message) {
            String count = message.attributesAsStrings().getOrDefault("ApproximateReceiveCount", "1");
            return new Message(message.messageId(), message.body(), Integer.parseInt(count), message.receiptHandle());
        }

        public Message deliveredAgain() {
            return new Message(messageId, body, receiveCount + 1);
        }
    }

    public static SQSEvent of(List<Message> messages) {
        return LambdaEvents.fromJson(json(messages), SQSEvent.class);
    }

    public static SQSEvent of(Message... messages) {
        return of(List.of(messages));
    }

    public static String json(List<Message> messages) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        ArrayNode records = event.putArray("Records");
        long now = System.currentTimeMillis();
        for (Message message : messages) {
            ObjectNode record = records.addObject()
                    .put("messageId", message.messageId())
                    .put("receiptHandle", message.receiptHandle() != null ? message.receiptHandle() : "AQEB" + UUID.randomUUID())
                    .put("body", message.body());
            record.putObject("attributes")
                    .put("ApproximateReceiveCount", String.valueOf(message.receiveCount()))
                    .put("SentTimestamp", String.valueOf(now - 1000))
                    .put("SenderId", "AIDAEXAMPLE")
                    .put("ApproximateFirstReceiveTimestamp", String.valueOf(now));
            record.putObject("messageAttributes");
            record.put("md5OfBody", md5(message.body()))
                    .put("eventSource", "aws:sqs")
                    .put("eventSourceARN", QUEUE_ARN)
                    .put("awsRegion", "us-east-1");
        }
        return event.toString();
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
