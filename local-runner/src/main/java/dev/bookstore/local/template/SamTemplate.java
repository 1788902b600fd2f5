package dev.bookstore.local.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of template.yaml the local runner and the template's rule tests need: functions with their
 * handler, timeout, environment and events (with Globals applied), queues with their redrive policies,
 * and the values of parameters and mappings. Intrinsics that only AWS can resolve stay as they are.
 */
public final class SamTemplate {

    private final Map<String, Object> raw;
    private final Map<String, String> parameters;

    private SamTemplate(Map<String, Object> raw, Map<String, String> parameterOverrides) {
        this.raw = raw;
        this.parameters = new LinkedHashMap<>();
        map(raw.get("Parameters")).forEach((name, definition) -> {
            Object fallback = map(definition).get("Default");
            if (fallback != null) {
                parameters.put(name, String.valueOf(fallback));
            }
        });
        parameters.putAll(parameterOverrides);
    }

    public static SamTemplate read(Path file) {
        return read(file, Map.of());
    }

    public static SamTemplate read(Path file, Map<String, String> parameterOverrides) {
        try {
            return parse(Files.readString(file), parameterOverrides);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    public static SamTemplate parse(String yaml, Map<String, String> parameterOverrides) {
        return new SamTemplate(CloudFormationYaml.read(yaml), parameterOverrides);
    }

    /** The whole document, short-form tags turned into their long forms. */
    public Map<String, Object> raw() {
        return raw;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    public Map<String, Object> resources() {
        return map(raw.get("Resources"));
    }

    public Map<String, Object> resource(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in the template");
        }
        return map(resource);
    }

    public String type(String logicalId) {
        return (String) resource(logicalId).get("Type");
    }

    public Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    /** Every AWS::Serverless::Function, with the template's Globals applied. */
    public Map<String, FunctionSpec> functions() {
        Map<String, Object> globals = map(map(map(raw.get("Globals")).get("Function")));
        Map<String, FunctionSpec> functions = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if ("AWS::Serverless::Function".equals(map(resource).get("Type"))) {
                functions.put(id, FunctionSpec.of(id, globals, map(map(resource).get("Properties")), this));
            }
        });
        return functions;
    }

    /** Every AWS::SQS::Queue. */
    public Map<String, QueueSpec> queues() {
        Map<String, QueueSpec> queues = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if ("AWS::SQS::Queue".equals(map(resource).get("Type"))) {
                queues.put(id, QueueSpec.of(id, map(map(resource).get("Properties")), this));
            }
        });
        return queues;
    }

    /** Every AWS::Events::EventBus: its logical id and its {@code Name} as written (often an intrinsic). */
    public Map<String, Object> eventBuses() {
        Map<String, Object> buses = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if ("AWS::Events::EventBus".equals(map(resource).get("Type"))) {
                buses.put(id, map(map(resource).get("Properties")).get("Name"));
            }
        });
        return buses;
    }

    /** Every AWS::Events::Rule on one of the template's buses. */
    public List<EventRuleSpec> eventRules() {
        List<EventRuleSpec> rules = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if ("AWS::Events::Rule".equals(map(resource).get("Type"))) {
                rules.add(EventRuleSpec.of(id, map(map(resource).get("Properties"))));
            }
        });
        return rules;
    }

    /**
     * The value of a property where it does not depend on AWS: literals, parameters ({@code Ref}) and
     * {@code Fn::FindInMap}. Anything else comes back unchanged.
     */
    public Object resolve(Object value) {
        if (value instanceof Map<?, ?> intrinsic && intrinsic.size() == 1) {
            Map.Entry<?, ?> only = intrinsic.entrySet().iterator().next();
            if ("Ref".equals(only.getKey()) && parameters.containsKey(String.valueOf(only.getValue()))) {
                return parameters.get(String.valueOf(only.getValue()));
            }
            if ("Fn::FindInMap".equals(only.getKey()) && only.getValue() instanceof List<?> path && path.size() == 3) {
                Map<String, Object> table = map(map(raw.get("Mappings")).get(String.valueOf(resolve(path.get(0)))));
                Object row = table.get(String.valueOf(resolve(path.get(1))));
                Object cell = map(row).get(String.valueOf(resolve(path.get(2))));
                if (cell == null) {
                    throw new IllegalArgumentException("no value in the mapping for " + path);
                }
                return cell;
            }
        }
        return value;
    }

    /** A resolved whole number, or {@code fallback} when absent. */
    public int integer(Object value, int fallback) {
        Object resolved = resolve(value);
        if (resolved == null) {
            return fallback;
        }
        if (resolved instanceof Number number) {
            return number.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(resolved));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number the local runner can resolve: " + resolved, e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static List<Object> list(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of();
    }
}
