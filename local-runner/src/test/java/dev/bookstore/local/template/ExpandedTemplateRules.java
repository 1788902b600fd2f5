package dev.bookstore.local.template;

import static dev.bookstore.local.template.ExpandedTemplate.items;
import static dev.bookstore.local.template.ExpandedTemplate.render;
import static dev.bookstore.local.template.ExpandedTemplate.target;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for what CloudFormation creates from template.yaml, checked on the expanded template because the
 * faults they catch are made by the SAM transform (caller-credential integrations, a second stage, managed
 * policies on every queue) or only show there. Each returns what breaks it; the test runs them on the real
 * template and on broken copies.
 */
final class ExpandedTemplateRules {

    /** API Gateway's gateway response types and their default status codes ("Gateway response types for API Gateway"). */
    static final Map<String, Integer> GATEWAY_RESPONSE_STATUS = Map.ofEntries(
            Map.entry("DEFAULT_4XX", 400), Map.entry("DEFAULT_5XX", 500), Map.entry("ACCESS_DENIED", 403),
            Map.entry("API_CONFIGURATION_ERROR", 500), Map.entry("AUTHORIZER_CONFIGURATION_ERROR", 500), Map.entry("AUTHORIZER_FAILURE", 500),
            Map.entry("BAD_REQUEST_PARAMETERS", 400), Map.entry("BAD_REQUEST_BODY", 400), Map.entry("EXPIRED_TOKEN", 403),
            Map.entry("INTEGRATION_FAILURE", 504), Map.entry("INTEGRATION_TIMEOUT", 504), Map.entry("INVALID_API_KEY", 403),
            Map.entry("INVALID_SIGNATURE", 403), Map.entry("MISSING_AUTHENTICATION_TOKEN", 403), Map.entry("QUOTA_EXCEEDED", 429),
            Map.entry("REQUEST_TOO_LARGE", 413), Map.entry("RESOURCE_NOT_FOUND", 404), Map.entry("THROTTLED", 429),
            Map.entry("UNAUTHORIZED", 401), Map.entry("UNSUPPORTED_MEDIA_TYPE", 415), Map.entry("WAF_FILTERED", 403));
    /** Access log fields operators need, and the context variable each must carry. */
    static final Map<String, String> ACCESS_LOG_FIELDS = Map.of(
            "requestId", "$context.requestId", "requestTime", "$context.requestTime", "userArn", "$context.identity.userArn",
            "status", "$context.status", "error", "$context.error.message", "integrationError", "$context.integration.error",
            "xrayTraceId", "$context.xrayTraceId");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POSTGRES = "tcp/5432";
    private static final String HTTPS_ANYWHERE = "tcp/443 to 0.0.0.0/0";
    private static final String EVENTS = "events.amazonaws.com";

    private final ExpandedTemplate template;
    private final RecordedSdkCalls recorded;
    private final List<String> problemFields;

    /** {@code problemFields}: the fields openapi.yaml requires of every problem. */
    ExpandedTemplateRules(ExpandedTemplate template, RecordedSdkCalls recorded, List<String> problemFields) {
        this.template = template;
        this.recorded = recorded;
        this.problemFields = problemFields;
    }

    List<String> all() {
        List<String> broken = new ArrayList<>();
        broken.addAll(integrations());
        broken.addAll(schedules());
        broken.addAll(stages());
        broken.addAll(gatewayResponses());
        broken.addAll(new EffectivePermissions(template, recorded).problems());
        broken.addAll(networkPaths());
        broken.addAll(retention());
        broken.addAll(migratorOrder());
        broken.addAll(snapStart());
        broken.addAll(queueBatches());
        broken.addAll(alarmedResources());
        broken.addAll(dashboards());
        broken.addAll(tracing());
        broken.addAll(signedAsDocumented());
        broken.addAll(queueTargetsAdmitted());
        return broken;
    }

    /**
     * EventBridge sends to a rule's SQS target, and to the target's dead-letter queue, as {@code events.amazonaws.com},
     * which only the queue's policy can allow: a statement allowing {@code sqs:SendMessage} on that queue to that
     * principal with the rule as {@code aws:SourceArn} ("Amazon SQS permissions" and "Granting permissions to the
     * dead-letter queue" in the EventBridge user guide). Without it every delivery fails, out of sight. And a statement
     * for that principal with no SourceArn of a rule of this stack lets any rule of any account fill the queue.
     */
    List<String> queueTargetsAdmitted() {
        List<String> broken = new ArrayList<>();
        Set<String> admitted = new LinkedHashSet<>(); // "queue rule"
        template.ofType("AWS::SQS::QueuePolicy").forEach((id, policy) -> {
            for (JsonNode statement : items(policy.path("Properties").path("PolicyDocument").path("Statement"))) {
                if (!EVENTS.equals(statement.path("Principal").path("Service").asText())) {
                    continue;
                }
                String rule = target(statement.path("Condition").path("ArnEquals").path("aws:SourceArn"));
                if (rule == null || !"AWS::Events::Rule".equals(template.type(rule))) {
                    broken.add(id + " lets " + EVENTS + " send to its queues from "
                            + (rule == null ? "any rule of any account" : rule) + ": it must name a rule of this stack as aws:SourceArn (ArnEquals)");
                    continue;
                }
                boolean sends = items(statement.path("Action")).stream().anyMatch(a -> "sqs:SendMessage".equals(a.asText()));
                // A policy speaks for the queues it is attached to (Queues), whatever its statements' Resource names.
                Set<String> attached = new LinkedHashSet<>();
                items(policy.path("Properties").path("Queues")).forEach(queue -> attached.add(target(queue)));
                if ("Allow".equals(statement.path("Effect").asText()) && sends) {
                    items(statement.path("Resource")).stream().map(ExpandedTemplate::target).filter(attached::contains)
                            .forEach(queue -> admitted.add(queue + " " + rule));
                }
            }
        });
        template.ofType("AWS::Events::Rule").forEach((rule, resource) -> items(resource.path("Properties").path("Targets")).forEach(t -> {
            for (JsonNode arn : List.of(t.path("Arn"), t.path("DeadLetterConfig").path("Arn"))) {
                String queue = target(arn);
                if (queue != null && "AWS::SQS::Queue".equals(template.type(queue)) && !admitted.contains(queue + " " + rule)) {
                    broken.add("rule " + rule + " sends to " + queue + ", whose policy does not let " + EVENTS
                            + " send to it from that rule: every delivery would fail");
                }
            }
        }));
        return broken;
    }

    /**
     * openapi.yaml asks SigV4 of every route ({@code security: sigv4}, a scheme with {@code x-amazon-apigateway-authtype:
     * awsSigv4}; TemplateRulesTest keeps it so). What API Gateway enforces is each method's {@code security} in the API's
     * body, which SAM writes from {@code Auth}: every method must name a scheme of that type ("x-amazon-apigateway-authtype
     * property", API Gateway developer guide), or a client generated from the spec signs for a route open to anyone.
     */
    List<String> signedAsDocumented() {
        List<String> broken = new ArrayList<>();
        template.ofType("AWS::ApiGateway::RestApi").forEach((api, resource) -> {
            JsonNode body = resource.path("Properties").path("Body");
            JsonNode schemes = body.path("components").path("securitySchemes");
            body.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
                boolean signed = false;
                for (JsonNode requirement : method.getValue().path("security")) {
                    for (Iterator<String> names = requirement.fieldNames(); names.hasNext(); ) {
                        signed |= "awsSigv4".equals(schemes.path(names.next()).path("x-amazon-apigateway-authtype").asText());
                    }
                }
                if (!signed) {
                    broken.add(api + ": " + method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey()
                            + " is not signed with SigV4, which openapi.yaml asks of every route");
                }
            }));
        });
        return broken;
    }

    /**
     * Every alarm watches a metric of something this stack creates: a CloudWatch metric whose dimensions name nothing
     * (a mistyped API name, another stage, a proxy's logical id instead of its name) has no data, and an alarm that
     * treats missing data as not breaching would never fire. Checked on what CloudFormation creates, where the API's
     * name and stages are SAM's: a function by its name, the API by its {@code Name} and one of its stages, the proxy by
     * its {@code DBProxyName}, a queue by its {@code QueueName}.
     */
    List<String> alarmedResources() {
        List<String> broken = new ArrayList<>();
        template.ofType("AWS::CloudWatch::Alarm").forEach((id, alarm) -> items(alarm.path("Properties").path("Dimensions")).forEach(dimension -> {
            if (!alarm.path("Properties").path("Namespace").asText().startsWith("AWS/")) {
                return; // the functions' own metrics: LocalStackIT checks them against what the functions emit
            }
            String name = dimension.path("Name").asText();
            String value = render(dimension.path("Value"));
            if (!namesWhatTheStackCreates(name, value)) {
                broken.add(id + " watches " + name + " " + value + ", which this stack does not create");
            }
        }));
        return broken;
    }

    /**
     * Whether a metric dimension's value names something this stack creates: a function or an event source mapping by
     * its {@code Ref}, the API by its {@code Name} and one of its stages, the proxy by its {@code DBProxyName}, a queue by its
     * {@code QueueName}. The value is rendered ({@link ExpandedTemplate#render}), so {@code ${X}} is a {@code Ref}.
     */
    private boolean namesWhatTheStackCreates(String dimension, String value) {
        Matcher reference = Pattern.compile("^\\$\\{(\\w+)(?:\\.(\\w+))?}$").matcher(value);
        String id = reference.matches() ? reference.group(1) : null;
        String attribute = reference.matches() ? reference.group(2) : null;
        return switch (dimension) {
            case "FunctionName" -> id != null && attribute == null && "AWS::Lambda::Function".equals(template.type(id));
            case "EventSourceMappingUUID" -> id != null && attribute == null && "AWS::Lambda::EventSourceMapping".equals(template.type(id));
            case "ApiName" -> template.ofType("AWS::ApiGateway::RestApi").values().stream()
                    .anyMatch(api -> render(api.path("Properties").path("Name")).equals(value));
            case "Stage" -> stageNames().contains(value);
            case "ProxyName" -> template.ofType("AWS::RDS::DBProxy").values().stream()
                    .anyMatch(proxy -> render(proxy.path("Properties").path("DBProxyName")).equals(value));
            case "QueueName" -> id != null && "QueueName".equals(attribute) && "AWS::SQS::Queue".equals(template.type(id));
            default -> false;
        };
    }

    /**
     * Every metric a dashboard draws exists: in an AWS namespace, a metric AWS documents under the dimensions it publishes
     * it with ({@link AwsMetrics}), each dimension naming something this stack creates; in the functions' own namespace
     * the check is against what they emit, which LocalStackIT makes. A widget on a mistyped metric draws nothing, and
     * nobody notices until the day it is needed.
     */
    List<String> dashboards() {
        List<String> broken = new ArrayList<>();
        template.ofType("AWS::CloudWatch::Dashboard").forEach((id, resource) -> {
            Dashboard dashboard = Dashboard.read(dashboardBody(template, resource));
            dashboard.unreadable().forEach(problem -> broken.add(id + ": " + problem));
            for (Dashboard.Metric metric : dashboard.metrics()) {
                if (!metric.namespace().startsWith("AWS/")) {
                    continue;
                }
                String problem = AwsMetrics.problem(metric.namespace(), metric.name(), metric.dimensionNames());
                if (problem != null) {
                    broken.add(id + " draws " + problem);
                }
                metric.dimensions().forEach((name, value) -> {
                    if (!namesWhatTheStackCreates(name, value)) {
                        broken.add(id + " draws " + metric.namespace() + " " + metric.name() + " of " + name + " " + value
                                + ", which this stack does not create");
                    }
                });
            }
        });
        return broken;
    }

    /** A dashboard's body with the template's numeric parameters at their defaults, so it reads as JSON. */
    static String dashboardBody(ExpandedTemplate template, JsonNode dashboard) {
        String body = render(dashboard.path("Properties").path("DashboardBody"));
        for (var parameter : template.parameters().properties()) {
            if ("Number".equals(parameter.getValue().path("Type").asText())) {
                body = body.replace("${" + parameter.getKey() + "}", parameter.getValue().path("Default").asText());
            }
        }
        return body;
    }

    /**
     * One trace per request: every function traced actively and every API stage tracing, so an API request, its queued
     * command and the writer batch that applies it are linked in X-Ray ("Visualize Lambda function invocations using AWS
     * X-Ray"; "Tracing user requests to REST APIs using X-Ray"). The roles' X-Ray actions are EffectivePermissions' part.
     */
    List<String> tracing() {
        List<String> broken = new ArrayList<>();
        template.ofType("AWS::Lambda::Function").forEach((id, function) -> {
            if (!"Active".equals(function.path("Properties").path("TracingConfig").path("Mode").asText())) {
                broken.add(id + " is not traced: its TracingConfig is not Active");
            }
        });
        template.ofType("AWS::ApiGateway::Stage").forEach((id, stage) -> {
            if (!stage.path("Properties").path("TracingEnabled").asBoolean(false)) {
                broken.add(id + " does not trace its requests: TracingEnabled is not true");
            }
        });
        return broken;
    }

    /**
     * Each SQS event source mapping as CloudFormation creates it: a BatchSize over 10 has a batching window of at least
     * 1 s ("When you set BatchSize to a value greater than 10, you must set MaximumBatchingWindowInSeconds to at least
     * 1", CreateEventSourceMapping in the Lambda API reference), and its queue hides a received message for at least six
     * times the function's timeout plus the window, so a batch still running is never delivered again ("set the source
     * queue's visibility timeout to at least six times the timeout that you configure on your function", Lambda
     * developer guide, "Using Lambda with Amazon SQS").
     */
    List<String> queueBatches() {
        List<String> broken = new ArrayList<>();
        template.ofType("AWS::Lambda::EventSourceMapping").forEach((id, mapping) -> {
            JsonNode properties = mapping.path("Properties");
            String queue = target(properties.path("EventSourceArn"));
            if (queue == null || !"AWS::SQS::Queue".equals(template.type(queue))) {
                return;
            }
            int batchSize = properties.path("BatchSize").asInt(10);
            int window = properties.path("MaximumBatchingWindowInSeconds").asInt(0);
            if (batchSize > 10 && window < 1) {
                broken.add(id + ": a BatchSize of " + batchSize + " needs a MaximumBatchingWindowInSeconds of at least 1");
            }
            String function = template.function(properties.path("FunctionName"));
            int timeout = template.properties(function).path("Timeout").asInt(3);
            int visibility = template.properties(queue).path("VisibilityTimeout").asInt(30);
            if (visibility < 6 * timeout + window) {
                broken.add(queue + ": visibility timeout " + visibility + " s is below 6 x " + function + "'s " + timeout
                        + " s timeout + its " + window + " s window, so a running batch is delivered again");
            }
        });
        return broken;
    }

    /**
     * Every function that serves traffic (an API route or an SQS event source) starts from a SnapStart snapshot: SnapStart
     * on published versions, and every route and event source invoking an alias, since SnapStart applies only to
     * published versions, never to $LATEST ("Improving startup performance with Lambda SnapStart").
     */
    List<String> snapStart() {
        List<String> broken = new ArrayList<>();
        Set<String> serving = new LinkedHashSet<>();
        Set<String> viaAlias = new LinkedHashSet<>();
        template.ofType("AWS::Lambda::EventSourceMapping").values().forEach(mapping -> {
            JsonNode name = mapping.path("Properties").path("FunctionName");
            serving.add(template.function(name));
            if ("AWS::Lambda::Alias".equals(template.type(target(name)))) {
                viaAlias.add(template.function(name));
            }
        });
        template.ofType("AWS::Lambda::Permission").values().forEach(permission -> {
            JsonNode properties = permission.path("Properties");
            if ("apigateway.amazonaws.com".equals(properties.path("Principal").asText())) {
                JsonNode name = properties.path("FunctionName");
                serving.add(template.function(name));
                if ("AWS::Lambda::Alias".equals(template.type(target(name)))) {
                    viaAlias.add(template.function(name));
                }
            }
        });
        for (String function : serving) {
            if (!"PublishedVersions".equals(template.properties(function).path("SnapStart").path("ApplyOn").asText())) {
                broken.add(function + " serves traffic without SnapStart on its published versions");
            } else if (!viaAlias.contains(function)) {
                broken.add(function + " has SnapStart but is invoked as $LATEST, which SnapStart never applies to");
            }
        }
        return broken;
    }

    /**
     * No integration invokes as the caller (API Gateway uses the function's resource policy instead), and every
     * route's function lets exactly this API, on that method and path, invoke it.
     */
    List<String> integrations() {
        List<String> broken = new ArrayList<>();
        Set<String> routes = new LinkedHashSet<>();
        template.ofType("AWS::ApiGateway::RestApi").forEach((api, resource) -> resource.path("Properties").path("Body").path("paths")
                .properties().forEach(path -> path.getValue().properties().forEach(method -> {
                    JsonNode integration = method.getValue().path("x-amazon-apigateway-integration");
                    if (integration.isMissingNode()) {
                        return;
                    }
                    String route = method.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
                    if (integration.has("credentials")) {
                        broken.add(route + ": the integration runs with credentials " + render(integration.get("credentials"))
                                + (render(integration.get("credentials")).contains("user/*") ? " (the caller credentials)" : ""));
                    }
                    String function = render(integration.path("uri")).replaceAll(".*/functions/\\$\\{([^.}]+)(\\.Arn)?}/invocations", "$1");
                    if ("AWS::Lambda::Alias".equals(template.type(function))) {
                        function = template.function(template.properties(function).path("FunctionName"));
                    }
                    routes.add(function + " " + sourceArn(api, route));
                })));
        Set<String> permitted = new LinkedHashSet<>();
        template.ofType("AWS::Lambda::Permission").forEach((id, permission) -> {
            JsonNode properties = permission.path("Properties");
            if (EVENTS.equals(properties.path("Principal").asText())) {
                return; // a schedule's: see schedules()
            }
            String source = render(properties.path("SourceArn")).replace("arn:aws:", "arn:${AWS::Partition}:");
            for (String stage : stageNames()) {
                source = source.replace("}/" + stage + "/", "}/*/");
            }
            permitted.add(template.function(properties.path("FunctionName")) + " " + source);
            if (!"apigateway.amazonaws.com".equals(properties.path("Principal").asText()) || !"lambda:InvokeFunction".equals(properties.path("Action").asText())) {
                broken.add(id + ": a permission for " + properties.path("Principal").asText() + " to " + properties.path("Action").asText());
            }
        });
        for (String route : routes) {
            if (!permitted.contains(route)) {
                broken.add("no permission lets the API invoke " + route);
            }
        }
        for (String permission : permitted) {
            if (!routes.contains(permission)) {
                broken.add("a permission for no route of the API: " + permission);
            }
        }
        return broken;
    }

    /**
     * Scheduled functions (a SAM {@code Schedule} event: an EventBridge rule and a permission for it): every permission
     * for EventBridge lets one rule of this stack that targets the function invoke it, named as its source; without a
     * SourceArn any rule could, in any account (SourceArn in CloudFormation's AWS::Lambda::Permission reference: for a
     * service principal, the resource that may invoke). And every rule that targets a function has that permission, or
     * Lambda refuses each run.
     */
    List<String> schedules() {
        List<String> broken = new ArrayList<>();
        Map<String, Set<String>> targetsOfRule = new LinkedHashMap<>();
        template.ofType("AWS::Events::Rule").forEach((rule, resource) -> {
            Set<String> functions = new LinkedHashSet<>();
            items(resource.path("Properties").path("Targets")).forEach(t -> {
                String function = template.function(t.path("Arn"));
                if (function != null && "AWS::Lambda::Function".equals(template.type(function))) {
                    functions.add(function);
                }
            });
            targetsOfRule.put(rule, functions);
        });
        Set<String> permitted = new LinkedHashSet<>();
        template.ofType("AWS::Lambda::Permission").forEach((id, permission) -> {
            JsonNode properties = permission.path("Properties");
            if (!EVENTS.equals(properties.path("Principal").asText())) {
                return;
            }
            String function = template.function(properties.path("FunctionName"));
            String rule = target(properties.path("SourceArn"));
            if (!"lambda:InvokeFunction".equals(properties.path("Action").asText())) {
                broken.add(id + ": a permission for " + EVENTS + " to " + properties.path("Action").asText());
            }
            if (rule == null || !targetsOfRule.containsKey(rule)) {
                broken.add(id + " lets " + EVENTS + " invoke " + function + " from "
                        + (properties.has("SourceArn") ? render(properties.path("SourceArn")) : "any rule of any account")
                        + ": it must name as its SourceArn the rule of this stack that targets " + function);
            } else if (!targetsOfRule.get(rule).contains(function)) {
                broken.add(id + " lets rule " + rule + " invoke " + function + ", which that rule does not target");
            } else {
                permitted.add(rule + " " + function);
            }
        });
        targetsOfRule.forEach((rule, functions) -> functions.stream().filter(f -> !permitted.contains(rule + " " + f))
                .forEach(f -> broken.add("no permission lets rule " + rule + " invoke " + f + ": Lambda would refuse each run")));
        return broken;
    }

    /**
     * The source ARN a route's permission must name: this API, any stage of it (SAM always writes {@code *} for the
     * stage, and {@link #stages()} keeps the API to one), the method and the path with its parameters as {@code *}.
     */
    private static String sourceArn(String api, String route) {
        String[] methodAndPath = route.split(" ");
        return "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + api + "}/*/" + methodAndPath[0]
                + methodAndPath[1].replaceAll("\\{[^}]+}", "*");
    }

    private List<String> stageNames() {
        return template.ofType("AWS::ApiGateway::Stage").values().stream().map(s -> s.path("Properties").path("StageName").asText()).toList();
    }

    /** One stage per API, with throttling and access logs that carry what operators need. */
    List<String> stages() {
        List<String> broken = new ArrayList<>();
        template.ofType("AWS::ApiGateway::Deployment").forEach((id, deployment) -> {
            if (deployment.path("Properties").has("StageName")) {
                broken.add(id + " creates a second stage, " + deployment.path("Properties").path("StageName").asText()
                        + ", with no throttling and no access logs (set OpenApiVersion on the API)");
            }
        });
        template.ofType("AWS::ApiGateway::RestApi").keySet().forEach(api -> {
            List<JsonNode> stages = template.ofType("AWS::ApiGateway::Stage").values().stream()
                    .filter(s -> api.equals(target(s.path("Properties").path("RestApiId")))).toList();
            if (stages.size() != 1) {
                broken.add(api + " has " + stages.size() + " stages; it must have exactly one");
            }
            for (JsonNode stage : stages) {
                JsonNode properties = stage.path("Properties");
                boolean throttled = items(properties.path("MethodSettings")).stream().anyMatch(s -> "/*".equals(s.path("ResourcePath").asText())
                        && "*".equals(s.path("HttpMethod").asText()) && s.has("ThrottlingRateLimit") && s.has("ThrottlingBurstLimit"));
                if (!throttled) {
                    broken.add(api + "'s stage is not throttled on every method");
                }
                broken.addAll(accessLog(api, properties.path("AccessLogSetting")));
            }
        });
        return broken;
    }

    private List<String> accessLog(String api, JsonNode setting) {
        if (!setting.has("DestinationArn")) {
            return List.of(api + "'s stage writes no access log");
        }
        try {
            JsonNode format = JSON.readTree(setting.path("Format").asText());
            List<String> broken = new ArrayList<>();
            ACCESS_LOG_FIELDS.forEach((field, variable) -> {
                if (!variable.equals(format.path(field).asText())) {
                    broken.add(api + "'s access log has no " + field + " (" + variable + ")");
                }
            });
            return broken;
        } catch (JsonProcessingException e) {
            return List.of(api + "'s access log format is not JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Every gateway response type is answered as a problem (openapi.yaml's Problem, its status an integer) with the
     * status it is sent with, which is the type's documented one.
     */
    List<String> gatewayResponses() {
        List<String> broken = new ArrayList<>();
        template.ofType("AWS::ApiGateway::RestApi").forEach((api, resource) -> {
            JsonNode responses = resource.path("Properties").path("Body").path("x-amazon-apigateway-gateway-responses");
            GATEWAY_RESPONSE_STATUS.forEach((type, status) -> {
                JsonNode response = responses.path(type);
                if (response.isMissingNode()) {
                    broken.add(api + ": gateway response " + type + " is not a problem");
                    return;
                }
                if (!String.valueOf(status).equals(response.path("statusCode").asText())) {
                    broken.add(api + ": gateway response " + type + " is sent with " + response.path("statusCode").asText("its default status")
                            + ", not " + status);
                }
                if (!"'application/problem+json'".equals(response.path("responseParameters").path("gatewayresponse.header.Content-Type").asText())) {
                    broken.add(api + ": gateway response " + type + " is not sent as application/problem+json");
                }
                // What API Gateway puts in: messageString is a quoted JSON string, the others go inside quotes.
                String body = response.path("responseTemplates").path("application/json").asText()
                        .replace("$context.error.messageString", "\"Missing Authentication Token\"").replaceAll("\\$context\\.[A-Za-z.]+", "x");
                try {
                    JsonNode problem = JSON.readTree(body);
                    if (!problem.path("status").isInt() || problem.path("status").asInt() != status) {
                        broken.add(api + ": gateway response " + type + " says status " + problem.path("status") + ", not the integer " + status);
                    }
                    problemFields.stream().filter(f -> !problem.has(f))
                            .forEach(f -> broken.add(api + ": gateway response " + type + " has no " + f + ", which openapi.yaml requires"));
                } catch (JsonProcessingException e) {
                    broken.add(api + ": gateway response " + type + " is not JSON: " + e.getOriginalMessage());
                }
            });
        });
        return broken;
    }

    /**
     * Functions reach the proxy only and the proxy the cluster only, each group states its egress, and HTTPS out is
     * for functions that call AWS (recorded SDK calls) or answer CloudFormation (custom resource providers), and for
     * each of those in a VPC it is there: without it their calls time out on AWS, which no local test can see.
     */
    List<String> networkPaths() {
        List<String> broken = new ArrayList<>();
        Set<String> proxyGroups = new LinkedHashSet<>();
        template.ofType("AWS::RDS::DBProxy").forEach((id, proxy) -> {
            for (JsonNode group : items(proxy.path("Properties").path("VpcSecurityGroupIds"))) {
                String own = target(group);
                if (own == null || !"AWS::EC2::SecurityGroup".equals(template.type(own))) {
                    broken.add(id + " is in " + render(group) + ", not a group of this stack: whatever that group admits reaches the cluster");
                } else {
                    proxyGroups.add(own);
                }
            }
        });
        Map<String, Set<String>> functionGroups = new LinkedHashMap<>();
        template.ofType("AWS::Lambda::Function").forEach((id, function) -> {
            JsonNode groups = function.path("Properties").path("VpcConfig").path("SecurityGroupIds");
            if (!items(groups).isEmpty() && callsAws(id, function)
                    && items(groups).stream().map(ExpandedTemplate::target).filter(g -> g != null && template.resources().has(g))
                            .noneMatch(g -> egress(g).contains(HTTPS_ANYWHERE))) {
                broken.add(id + " calls AWS but none of its security groups lets it send " + HTTPS_ANYWHERE + "; its calls would time out");
            }
            for (JsonNode group : items(groups)) {
                String own = target(group);
                if (own == null || !"AWS::EC2::SecurityGroup".equals(template.type(own))) {
                    broken.add(id + " is in " + render(group) + ", not a group of this stack");
                    continue;
                }
                functionGroups.computeIfAbsent(own, g -> new LinkedHashSet<>()).add(id);
                for (String rule : egress(own)) {
                    boolean allowed = rule.equals(POSTGRES + " to " + proxyGroups.stream().map(p -> "${" + p + "}").findFirst().orElse("(a proxy)"))
                            || rule.equals(HTTPS_ANYWHERE) && callsAws(id, function);
                    if (!allowed) {
                        broken.add(id + " may send " + rule + " (group " + own + "), which it does not need");
                    }
                }
            }
        });
        for (String proxy : proxyGroups) {
            for (String rule : egress(proxy)) {
                String destination = rule.replaceFirst("^" + POSTGRES + " to \\$\\{(.*)}$", "$1");
                if (rule.equals(destination) || template.resources().has(destination)) {
                    broken.add("the proxy may send " + rule + "; it needs PostgreSQL at the cluster's group only");
                }
            }
            for (String rule : ingress(proxy)) {
                String source = rule.replaceFirst("^" + POSTGRES + " from \\$\\{(.*)}$", "$1");
                if (!functionGroups.containsKey(source)) {
                    broken.add("the proxy admits " + rule + "; only the functions' groups may reach it");
                }
            }
        }
        template.ofType("AWS::EC2::SecurityGroupIngress").forEach((id, rule) -> {
            String group = target(rule.path("Properties").path("GroupId"));
            if (group != null && !template.resources().has(group)) {
                String source = target(rule.path("Properties").path("SourceSecurityGroupId"));
                if (!proxyGroups.contains(source) || !POSTGRES.equals(ports(rule.path("Properties")))) {
                    broken.add(id + " admits " + render(rule.path("Properties").path("SourceSecurityGroupId")) + render(rule.path("Properties").path("CidrIp"))
                            + " to the cluster's group " + group + "; it must admit only the proxy, on 5432");
                }
            }
        });
        for (String group : functionGroups.keySet()) {
            if (!ingress(group).isEmpty()) {
                broken.add("the functions' group " + group + " admits " + ingress(group) + "; nothing calls a function over the network");
            }
        }
        return broken;
    }

    private boolean callsAws(String functionId, JsonNode function) {
        String handler = function.path("Properties").path("Handler").asText().replaceAll("::.*", "");
        boolean provider = template.resources().properties().stream().anyMatch(r -> r.getValue().path("Type").asText().startsWith("Custom::")
                && render(r.getValue().path("Properties").path("ServiceToken")).startsWith("${" + functionId));
        return provider || !recorded.of(handler).isEmpty();
    }

    /** A group's egress rules (inline and separate), as "tcp/5432 to ${Group}" or "tcp/443 to 0.0.0.0/0". */
    private List<String> egress(String group) {
        List<String> rules = new ArrayList<>();
        JsonNode inline = template.properties(group).path("SecurityGroupEgress");
        if (inline.isMissingNode() || inline.isEmpty()) {
            rules.add("anything to anywhere (a group with no egress rule allows all)");
        }
        inline.forEach(rule -> rules.add(ports(rule) + " to " + destination(rule)));
        template.ofType("AWS::EC2::SecurityGroupEgress").values().stream().map(r -> r.path("Properties"))
                .filter(rule -> group.equals(target(rule.path("GroupId")))).forEach(rule -> rules.add(ports(rule) + " to " + destination(rule)));
        return rules;
    }

    private List<String> ingress(String group) {
        List<String> rules = new ArrayList<>();
        template.properties(group).path("SecurityGroupIngress").forEach(rule -> rules.add(ports(rule) + " from " + source(rule)));
        template.ofType("AWS::EC2::SecurityGroupIngress").values().stream().map(r -> r.path("Properties"))
                .filter(rule -> group.equals(target(rule.path("GroupId")))).forEach(rule -> rules.add(ports(rule) + " from " + source(rule)));
        return rules;
    }

    private static String ports(JsonNode rule) {
        String from = rule.path("FromPort").asText();
        String to = rule.path("ToPort").asText();
        return rule.path("IpProtocol").asText() + "/" + (from.equals(to) ? from : from + "-" + to);
    }

    private static String destination(JsonNode rule) {
        return rule.has("DestinationSecurityGroupId") ? render(rule.get("DestinationSecurityGroupId")) : render(rule.path("CidrIp"))
                + render(rule.path("CidrIpv6")) + render(rule.path("DestinationPrefixListId"));
    }

    private static String source(JsonNode rule) {
        return rule.has("SourceSecurityGroupId") ? render(rule.get("SourceSecurityGroupId")) : render(rule.path("CidrIp"))
                + render(rule.path("CidrIpv6")) + render(rule.path("SourcePrefixListId"));
    }

    /**
     * What must outlive the stack does: DLQs (whose messages await replay) and log groups are retained on delete and
     * on replacement, and a DLQ takes dead letters from its own source queue only.
     */
    List<String> retention() {
        List<String> broken = new ArrayList<>();
        Map<String, String> sourceOfDlq = new LinkedHashMap<>();
        template.ofType("AWS::SQS::Queue").forEach((id, queue) -> {
            String dlq = target(queue.path("Properties").path("RedrivePolicy").path("deadLetterTargetArn"));
            if (dlq != null) {
                sourceOfDlq.put(dlq, id);
            }
        });
        sourceOfDlq.forEach((dlq, source) -> {
            broken.addAll(retained(dlq));
            JsonNode allow = template.properties(dlq).path("RedriveAllowPolicy");
            String sourceArn = "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:" + render(template.properties(source).path("QueueName"));
            List<String> allowed = items(allow.path("sourceQueueArns")).stream().map(ExpandedTemplate::render).toList();
            if (!"byQueue".equals(allow.path("redrivePermission").asText()) || !allowed.equals(List.of(sourceArn))) {
                broken.add(dlq + ": its RedriveAllowPolicy must let only " + source + " (" + sourceArn + ") use it, byQueue; it is " + allow);
            }
        });
        template.ofType("AWS::Logs::LogGroup").keySet().forEach(group -> broken.addAll(retained(group)));
        return broken;
    }

    private List<String> retained(String id) {
        JsonNode resource = template.resource(id);
        if (!"Retain".equals(resource.path("DeletionPolicy").asText()) || !"Retain".equals(resource.path("UpdateReplacePolicy").asText())) {
            return List.of(id + " is deleted with the stack or on replacement: DeletionPolicy and UpdateReplacePolicy must be Retain");
        }
        return List.of();
    }

    /** The schema migrator's custom resource waits for the proxy's targets and every network rule on its path. */
    List<String> migratorOrder() {
        List<String> broken = new ArrayList<>();
        List<String> path = new ArrayList<>(template.ofType("AWS::RDS::DBProxyTargetGroup").keySet());
        path.addAll(template.ofType("AWS::EC2::SecurityGroupIngress").keySet());
        path.addAll(template.ofType("AWS::EC2::SecurityGroupEgress").keySet());
        template.resources().properties().forEach(entry -> {
            if (entry.getValue().path("Type").asText().startsWith("Custom::")) {
                List<String> dependsOn = items(entry.getValue().path("DependsOn")).stream().map(JsonNode::asText).toList();
                path.stream().filter(p -> !dependsOn.contains(p))
                        .forEach(p -> broken.add(entry.getKey() + " may run before " + p + " exists: add it to DependsOn"));
            }
        });
        return broken;
    }
}
