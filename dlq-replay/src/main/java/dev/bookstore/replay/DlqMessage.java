package dev.bookstore.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A message in a DLQ, and what its body says when read as a command envelope, read once. A body that is not one
 * is kept as it is and flagged, never guessed at. The envelope is read leniently (not with the writers' strict
 * codec): a message is often in a DLQ because it is malformed, and an operator still wants its command id.
 *
 * @param traceHeader the X-Ray trace of the request that queued it, carried again when it is replayed; null for none
 * @param envelope the envelope's fields, or null when the body is not a JSON object with a command id
 */
public record DlqMessage(String messageId, String receiptHandle, String body, int receiveCount, Instant sentAt,
                         Map<String, MessageAttributeValue> attributes, String traceHeader, JsonNode envelope) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static DlqMessage of(Message message) {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        return new DlqMessage(message.messageId(), message.receiptHandle(), message.body(), count == null ? 0 : Integer.parseInt(count),
                sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)), new LinkedHashMap<>(message.messageAttributes()),
                message.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER), envelopeOf(message.body()));
    }

    private static JsonNode envelopeOf(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            return json != null && json.isObject() && json.path("commandId").isTextual() ? json : null;
        } catch (Exception e) {
            return null;
        }
    }

    public boolean decodable() {
        return envelope != null;
    }

    public String commandId() {
        return envelope == null ? null : envelope.get("commandId").asText();
    }

    public String type() {
        return envelope == null ? null : envelope.path("type").asText(null);
    }

    /** A replayed message counts its replays. */
    public int replayCount() {
        MessageAttributeValue count = attributes.get("replayCount");
        try {
            return count == null ? 0 : Integer.parseInt(count.stringValue());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
