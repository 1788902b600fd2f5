package dev.bookstore.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A template as CloudFormation creates it: expanded by the SAM transform ({@code .ci/expand-template}, which runs
 * the aws-sam-translator that cfn-lint brings), with the roles, permissions, stages and integrations SAM adds.
 * Intrinsic functions stay as they are; {@link #render} writes one as a comparable string.
 */
final class ExpandedTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;

    private ExpandedTemplate(JsonNode root) {
        this.root = root;
    }

    /** Expands each template text, all in one run of the translator; the outputs stay under {@code work}. */
    static List<ExpandedTemplate> expand(Path repository, Path work, List<String> yamlTexts) {
        try {
            Files.createDirectories(work);
            List<String> command = new ArrayList<>(List.of("python3", repository.resolve(".ci/expand-template").toString()));
            for (int i = 0; i < yamlTexts.size(); i++) {
                Path source = work.resolve("template-" + i + ".yaml");
                Files.writeString(source, yamlTexts.get(i));
                command.add(source.toString());
                command.add(work.resolve("expanded-" + i + ".json").toString());
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("the SAM transform failed: " + output);
            }
            List<ExpandedTemplate> expanded = new ArrayList<>();
            for (int i = 0; i < yamlTexts.size(); i++) {
                expanded.add(new ExpandedTemplate(JSON.readTree(work.resolve("expanded-" + i + ".json").toFile())));
            }
            return expanded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether this machine can run the transform: python3 with aws-sam-translator. */
    static boolean transformAvailable() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import samtranslator").redirectErrorStream(true).start();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    JsonNode resources() {
        return root.path("Resources");
    }

    JsonNode parameters() {
        return root.path("Parameters");
    }

    JsonNode resource(String logicalId) {
        return resources().path(logicalId);
    }

    String type(String logicalId) {
        return resource(logicalId).path("Type").asText(null);
    }

    /**
     * The function a {@code FunctionName} (or a target's {@code Arn}) invokes: the function itself, or the function of the
     * alias it names (AutoPublishAlias points the API and the event source mappings at an alias, for SnapStart).
     */
    String function(JsonNode reference) {
        String id = target(reference);
        if (id != null && "AWS::Lambda::Alias".equals(type(id))) {
            return target(properties(id).path("FunctionName"));
        }
        return id;
    }

    JsonNode properties(String logicalId) {
        return resource(logicalId).path("Properties");
    }

    /** Logical id to resource, for every resource of the type, in template order. */
    Map<String, JsonNode> ofType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        resources().properties().forEach(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue());
            }
        });
        return found;
    }

    /** The logical id a {@code Ref} or {@code Fn::GetAtt} points at, or null for anything else. */
    static String target(JsonNode value) {
        if (value.has("Ref")) {
            return value.get("Ref").asText();
        }
        if (value.has("Fn::GetAtt")) {
            JsonNode attribute = value.get("Fn::GetAtt");
            return attribute.isArray() ? attribute.get(0).asText() : attribute.asText().split("\\.")[0];
        }
        return null;
    }

    /**
     * An intrinsic written as a string that two equal expressions share: {@code Ref X} is {@code ${X}}, {@code
     * GetAtt X.A} is {@code ${X.A}}, a {@code Sub} has its variables filled in, and a queue's ARN spelt out from its
     * name (as SAM's policy templates do) is written as {@code ${Queue.Arn}}.
     */
    static String render(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(render(item)));
            return items.toString();
        }
        String rendered;
        if (value.has("Ref")) {
            rendered = "${" + value.get("Ref").asText() + "}";
        } else if (value.has("Fn::GetAtt")) {
            JsonNode attribute = value.get("Fn::GetAtt");
            rendered = "${" + (attribute.isArray() ? attribute.get(0).asText() + "." + attribute.get(1).asText() : attribute.asText()) + "}";
        } else if (value.has("Fn::Sub")) {
            JsonNode sub = value.get("Fn::Sub");
            rendered = sub.isArray() ? sub.get(0).asText() : sub.asText();
            if (sub.isArray()) {
                for (var variable : sub.get(1).properties()) {
                    rendered = rendered.replace("${" + variable.getKey() + "}", render(variable.getValue()));
                }
            }
        } else if (value.has("Fn::Join")) {
            List<String> parts = new ArrayList<>();
            value.get("Fn::Join").get(1).forEach(part -> parts.add(render(part)));
            rendered = String.join(value.get("Fn::Join").get(0).asText(), parts);
        } else if (value.size() == 1) {
            var only = value.properties().iterator().next();
            rendered = only.getKey() + render(only.getValue()).replace('[', '(').replace(']', ')');
        } else {
            rendered = value.toString();
        }
        return rendered.replaceAll("^arn:\\$\\{AWS::Partition}:sqs:\\$\\{AWS::Region}:\\$\\{AWS::AccountId}:\\$\\{(\\w+)\\.QueueName}$", "\\${$1.Arn}");
    }

    /** A value that may be one item or a list, as IAM's Action and Resource are. */
    static List<JsonNode> items(JsonNode value) {
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(items::add);
        } else if (!value.isMissingNode() && !value.isNull()) {
            items.add(value);
        }
        return items;
    }
}
