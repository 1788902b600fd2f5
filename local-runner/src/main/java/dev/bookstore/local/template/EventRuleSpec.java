package dev.bookstore.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One EventBridge rule on a bus of the template: its event pattern (as JSON) and its SQS queue targets. The local
 * runner delivers what the pattern matches to each target queue, as EventBridge would; it takes queue targets only,
 * and refuses a target that reshapes the event (InputPath, InputTransformer), which it would not deliver faithfully.
 */
public record EventRuleSpec(String logicalId, String busLogicalId, String pattern, List<Target> targets) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A target: its id in the rule, and the logical id of the queue it sends to. */
    public record Target(String id, String queueLogicalId) {
    }

    static EventRuleSpec of(String id, Map<String, Object> properties) {
        Object bus = SamTemplate.map(properties.get("EventBusName")).get("Ref");
        if (bus == null) {
            throw new IllegalArgumentException(id + ": the local runner runs rules on a bus of the template (EventBusName: !Ref <bus>) only");
        }
        if (properties.containsKey("ScheduleExpression")) {
            throw new IllegalArgumentException(id + ": the local runner runs schedules as a function's Schedule event, not as rules");
        }
        List<Target> targets = new ArrayList<>();
        for (Object entry : SamTemplate.list(properties.get("Targets"))) {
            Map<String, Object> target = SamTemplate.map(entry);
            List<Object> arn = SamTemplate.list(SamTemplate.map(target.get("Arn")).get("Fn::GetAtt"));
            if (arn.size() != 2 || !"Arn".equals(arn.get(1))) {
                throw new IllegalArgumentException(id + ": a target's Arn must be !GetAtt <queue>.Arn for the local runner");
            }
            for (String reshaping : List.of("Input", "InputPath", "InputTransformer")) {
                if (target.containsKey(reshaping)) {
                    throw new IllegalArgumentException(id + ": the local runner delivers whole events; a target's " + reshaping + " is not supported");
                }
            }
            targets.add(new Target(String.valueOf(target.get("Id")), String.valueOf(arn.get(0))));
        }
        try {
            return new EventRuleSpec(id, String.valueOf(bus), JSON.writeValueAsString(properties.get("EventPattern")), targets);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(id + ": its EventPattern is not JSON", e);
        }
    }
}
