package dev.bookstore.local.template;

import static dev.bookstore.local.template.ExpandedTemplate.items;
import static dev.bookstore.local.template.ExpandedTemplate.render;
import static dev.bookstore.local.template.ExpandedTemplate.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What each function's role really grants in the expanded template (its inline policies, the customer managed
 * policies of the template and the AWS managed ones SAM attaches, whose documents are pinned in the test
 * resources), set against what it needs: the AWS API calls its code made in the tests, and what AWS documents
 * for its logs, VPC networking, SQS event source, tracing and rds-db:connect. Each difference is a problem.
 */
final class EffectivePermissions {

    /** One action on one resource, and the policy that grants it. */
    record Grant(String action, String resource, String source) {
    }

    /** An action the function needs, on which resources; documented needs must be granted on every one of them. */
    private record Need(Set<String> resources, boolean onEach, String why) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANY = "*";
    /** ENI actions for a function in a VPC ("Giving Lambda functions access to resources in an Amazon VPC"). */
    private static final List<String> ENI_DESCRIBE = List.of("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets");
    private static final List<String> ENI_CHANGE = List.of("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");
    private static final String THIS_ACCOUNT_EC2 = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*/*";
    /** What an SQS event source mapping needs on its queue ("Lambda execution role permissions" for Amazon SQS). */
    private static final List<String> SQS_EVENT_SOURCE = List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
    private static final List<String> XRAY = List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords");

    private final ExpandedTemplate template;
    private final RecordedSdkCalls recorded;
    private final JsonNode awsManaged;

    EffectivePermissions(ExpandedTemplate template, RecordedSdkCalls recorded) {
        this.template = template;
        this.recorded = recorded;
        try (InputStream in = EffectivePermissions.class.getResourceAsStream("/aws-managed-policies.json")) {
            this.awsManaged = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every function's grants set against its needs, and the proxy's role against the users the functions log in as. */
    List<String> problems() {
        if (recorded.actionsByHandler().isEmpty()) {
            return List.of("no SDK calls were recorded, so no role can be checked: run mvn verify from the repository's root, whose"
                    + " integration tests record them under each module's target/sdk-calls before this module's tests run");
        }
        Set<String> problems = new LinkedHashSet<>();
        template.ofType("AWS::Lambda::Function").forEach((id, function) -> {
            String role = target(function.path("Properties").path("Role"));
            if (role == null || !"AWS::IAM::Role".equals(template.type(role))) {
                problems.add(id + ": its role is not a role of this template, so what it grants cannot be checked");
                return;
            }
            problems.addAll(compare(id, grants(role), needs(id, function.path("Properties"))));
        });
        problems.addAll(proxyRole());
        return new ArrayList<>(problems);
    }

    /** Every Allow of the role: inline policies, managed policies (the template's or AWS's), and policies naming it. */
    List<Grant> grants(String role) {
        List<Grant> grants = new ArrayList<>();
        JsonNode properties = template.properties(role);
        properties.path("Policies").forEach(p -> collect(p.path("PolicyDocument"), role + "/" + p.path("PolicyName").asText(), grants));
        for (JsonNode arn : items(properties.path("ManagedPolicyArns"))) {
            String local = target(arn);
            if (local != null && "AWS::IAM::ManagedPolicy".equals(template.type(local))) {
                collect(template.properties(local).path("PolicyDocument"), local, grants);
                continue;
            }
            String name = render(arn).replaceAll(".*/", "");
            if (!awsManaged.has(name)) {
                grants.add(new Grant("(unknown)", render(arn), "an AWS managed policy not pinned in aws-managed-policies.json"));
            } else {
                collect(awsManaged.get(name), name, grants);
            }
        }
        for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            template.ofType(type).forEach((id, policy) -> {
                for (JsonNode attached : items(policy.path("Properties").path("Roles"))) {
                    if (role.equals(target(attached))) {
                        collect(policy.path("Properties").path("PolicyDocument"), id, grants);
                    }
                }
            });
        }
        return grants;
    }

    private static void collect(JsonNode document, String source, List<Grant> grants) {
        for (JsonNode statement : items(document.path("Statement"))) {
            if (!"Allow".equals(statement.path("Effect").asText())) {
                continue;
            }
            if (statement.has("NotAction") || statement.has("NotResource")) {
                grants.add(new Grant("(NotAction/NotResource)", ANY, source));
                continue;
            }
            for (JsonNode action : items(statement.path("Action"))) {
                for (JsonNode resource : items(statement.path("Resource"))) {
                    grants.add(new Grant(action.asText(), render(resource), source));
                }
            }
        }
    }

    private Map<String, Need> needs(String function, JsonNode properties) {
        Map<String, Need> needs = new TreeMap<>();
        String logGroup = target(properties.path("LoggingConfig").path("LogGroup"));
        String logs = logGroup == null ? "(the function's own log group; it has none)" : "${" + logGroup + ".Arn}";
        for (String action : List.of("logs:CreateLogStream", "logs:PutLogEvents")) {
            documented(needs, action, logs, "its log group");
        }
        if (properties.has("VpcConfig")) {
            ENI_DESCRIBE.forEach(action -> documented(needs, action, ANY, "VPC networking (works only on *)"));
            ENI_CHANGE.forEach(action -> documented(needs, action, THIS_ACCOUNT_EC2, "VPC networking"));
        }
        template.ofType("AWS::Lambda::EventSourceMapping").values().forEach(mapping -> {
            if (function.equals(template.function(mapping.path("Properties").path("FunctionName")))) {
                String queue = render(mapping.path("Properties").path("EventSourceArn"));
                SQS_EVENT_SOURCE.forEach(action -> documented(needs, action, queue, "its SQS event source"));
            }
        });
        if ("Active".equals(properties.path("TracingConfig").path("Mode").asText())) {
            XRAY.forEach(action -> documented(needs, action, ANY, "active tracing (works only on *)"));
        }
        JsonNode environment = properties.path("Environment").path("Variables");
        if ("true".equals(environment.path("BOOKSTORE_DB_IAM_AUTH").asText())) {
            documented(needs, "rds-db:connect", proxyUser(environment.path("BOOKSTORE_DB_USER")), "its database user at the proxy");
        }
        String handler = properties.path("Handler").asText().replaceAll("::.*", "");
        Set<String> configured = configuredResources(environment);
        for (String action : recorded.of(handler)) {
            needs.merge(action, new Need(configured, false, "its code calls it (recorded in the tests)"), (a, b) -> a);
        }
        return needs;
    }

    private static void documented(Map<String, Need> needs, String action, String resource, String why) {
        needs.computeIfAbsent(action, a -> new Need(new LinkedHashSet<>(), true, why)).resources().add(resource);
    }

    /** The resources a function is configured to use: what its environment variables refer to, as ARNs. */
    private Set<String> configuredResources(JsonNode environment) {
        Set<String> resources = new LinkedHashSet<>();
        environment.forEach(value -> {
            String referenced = target(value);
            if (referenced != null && template.resources().has(referenced)) {
                resources.add("${" + referenced + ".Arn}");
            } else if (referenced != null) {
                resources.add("${" + referenced + "}");
            }
        });
        return resources;
    }

    /** The rds-db:connect resource of a user at this template's proxy. */
    private String proxyUser(JsonNode user) {
        String proxy = template.ofType("AWS::RDS::DBProxy").keySet().stream().findFirst().orElse("(no proxy)");
        // The proxy's id is the last part of its ARN, as the template's policies take it.
        String proxyId = render(parse("{\"Fn::Select\":[6,{\"Fn::Split\":[\":\",{\"Fn::GetAtt\":[\"" + proxy + "\",\"DBProxyArn\"]}]}]}"));
        return "arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:" + proxyId + "/" + render(user);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> compare(String function, List<Grant> grants, Map<String, Need> needs) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> granted = new LinkedHashMap<>();
        for (Grant grant : grants) {
            granted.computeIfAbsent(grant.action(), a -> new LinkedHashSet<>()).add(grant.resource());
            Need need = needs.get(grant.action());
            if (grant.action().contains("*") || grant.action().startsWith("(")) {
                problems.add(function + ": its role grants " + grant.action() + " on " + grant.resource() + " (from " + grant.source()
                        + "): name each action");
            } else if (need == null) {
                problems.add(function + ": its role grants " + grant.action() + " (from " + grant.source()
                        + "), which its code never calls and AWS does not need for it");
            } else if (!need.resources().contains(grant.resource())) {
                problems.add(function + ": its role grants " + grant.action() + " on " + grant.resource() + " (from " + grant.source()
                        + "); it needs it only on " + need.resources());
            }
        }
        needs.forEach((action, need) -> {
            Set<String> on = granted.getOrDefault(action, Set.of());
            if (on.isEmpty()) {
                problems.add(function + " needs " + action + " for " + need.why() + ", but its role does not grant it");
            } else if (need.onEach() && !on.containsAll(need.resources())) {
                problems.add(function + " needs " + action + " on " + need.resources() + " for " + need.why() + ", granted only on " + on);
            }
        });
        return problems;
    }

    /** The proxy logs in to the cluster (end-to-end IAM) as exactly the users the functions connect as. */
    private List<String> proxyRole() {
        List<String> problems = new ArrayList<>();
        template.ofType("AWS::RDS::DBProxy").forEach((id, proxy) -> {
            String role = target(proxy.path("Properties").path("RoleArn"));
            Set<String> users = new LinkedHashSet<>();
            template.ofType("AWS::Lambda::Function").values().forEach(function -> {
                JsonNode user = function.path("Properties").path("Environment").path("Variables").path("BOOKSTORE_DB_USER");
                if (!user.isMissingNode()) {
                    users.add("arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:${DatabaseClusterResourceId}/" + render(user));
                }
            });
            Map<String, Need> needs = new TreeMap<>(Map.of("rds-db:connect", new Need(users, true, "logging in to the cluster as each user")));
            problems.addAll(compare(id + "'s role", grants(role), needs));
        });
        return problems;
    }
}
