package dev.bookstore.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics a CloudWatch dashboard body draws, read the way CloudWatch reads it ("Dashboard Body Structure and
 * Syntax"): each metric widget's {@code metrics} rows, {@code [namespace, name, dimension, value, …, {options}]}, where
 * {@code "."} repeats the row above, and {@code SEARCH('{namespace,dimension…} MetricName="…" key="value"', …)}
 * expressions. Values may still hold CloudFormation's {@code ${…}} variables.
 */
public record Dashboard(List<Metric> metrics, List<String> unreadable) {

    /** One metric, or a search's schema: its namespace, name, and dimensions (a search's filters name some of them). */
    public record Metric(String namespace, String name, Map<String, String> dimensions, Set<String> dimensionNames, boolean search) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SEARCH = Pattern.compile("SEARCH\\(\\s*'\\{([^}]*)}\\s*([^']*)'");
    private static final Pattern TERM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    public static Dashboard read(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new Dashboard(List.of(), List.of("the body is not JSON: " + e.getOriginalMessage()));
        }
        List<Metric> metrics = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (JsonNode widget : root.path("widgets")) {
            if (!"metric".equals(widget.path("type").asText())) {
                continue;
            }
            String title = widget.at("/properties/title").asText();
            List<String> previous = List.of();
            for (JsonNode row : widget.at("/properties/metrics")) {
                if (row.isObject() && row.has("expression")) {
                    metrics.add(search(row.get("expression").asText(), title, unreadable));
                    continue;
                }
                List<String> fields = new ArrayList<>();
                for (int i = 0; i < row.size() && row.get(i).isTextual(); i++) {
                    String field = row.get(i).asText();
                    fields.add(".".equals(field) && i < previous.size() ? previous.get(i) : field);
                }
                previous = fields;
                if (fields.size() < 2 || fields.size() % 2 != 0) {
                    unreadable.add(title + ": a row that is not [namespace, name, dimension, value…]: " + row);
                    continue;
                }
                Map<String, String> dimensions = new LinkedHashMap<>();
                for (int i = 2; i < fields.size(); i += 2) {
                    dimensions.put(fields.get(i), fields.get(i + 1));
                }
                metrics.add(new Metric(fields.get(0), fields.get(1), dimensions, new TreeSet<>(dimensions.keySet()), false));
            }
        }
        return new Dashboard(metrics, unreadable);
    }

    private static Metric search(String expression, String title, List<String> unreadable) {
        Matcher search = SEARCH.matcher(expression);
        if (!search.find()) {
            unreadable.add(title + ": an expression that is not a SEARCH of one schema: " + expression);
            return new Metric("", "", Map.of(), Set.of(), true);
        }
        String[] schema = search.group(1).split(",");
        Set<String> names = new TreeSet<>();
        for (int i = 1; i < schema.length; i++) {
            names.add(schema[i].trim());
        }
        Map<String, String> filters = new TreeMap<>();
        String metricName = "";
        Matcher term = TERM.matcher(search.group(2));
        while (term.find()) {
            if (term.group(1).equals("MetricName")) {
                metricName = term.group(2);
            } else {
                filters.put(term.group(1), term.group(2));
            }
        }
        return new Metric(schema[0].trim(), metricName, filters, names, true);
    }
}
