package dev.bookstore.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The results as JSON, and as BENCHMARKS.md: machine, command, a table per benchmark, and each target met or not. */
final class Report {

    private Report() {
    }

    static void write(List<Measure> measures, boolean smoke, String arguments, Path markdown, Path json) throws IOException {
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("at", Instant.now().toString()).put("smoke", smoke);
        root.set("machine", machine());
        ArrayNode list = root.putArray("measures");
        StringBuilder md = new StringBuilder("# Benchmarks\n\n");
        if (smoke) {
            md.append("**Smoke run: toy sizes, to prove the bench runs. These figures mean nothing.**\n\n");
        }
        md.append("Every figure is measured against a baseline in the same run on the same machine; this machine is shared and noisy,\n")
                .append("so compare ratios, not absolute numbers. Produced by:\n\n```sh\n./run-bench").append(arguments.isBlank() ? "" : " " + arguments)
                .append("\n```\n\n");
        ObjectNode machine = machine();
        md.append("Machine: ").append(machine.get("cpus").asInt()).append(" cores (").append(machine.get("cpu").asText()).append("), ")
                .append(machine.get("memoryGb").asText()).append(" GB RAM, ").append(machine.get("os").asText()).append(", Java ")
                .append(machine.get("java").asText()).append(". Run at ").append(root.get("at").asText()).append(".\n\n");
        for (Measure measure : measures) {
            ObjectNode entry = list.addObject().put("name", measure.name).put("how", measure.command);
            ArrayNode figures = entry.putArray("figures");
            md.append("## ").append(measure.name).append("\n\n").append(measure.command).append(".\n\n| figure | value |\n|---|---|\n");
            for (Measure.Figure figure : measure.figures) {
                figures.addObject().put("label", figure.label()).put("value", figure.value()).put("unit", figure.unit());
                md.append("| ").append(figure.label()).append(" | ").append(format(figure.value())).append(figure.unit().isEmpty() ? "" : " " + figure.unit())
                        .append(" |\n");
            }
            ArrayNode targets = entry.putArray("targets");
            if (!measure.targets.isEmpty()) {
                md.append("\n| target | measured | met |\n|---|---|---|\n");
                for (Measure.Target target : measure.targets) {
                    targets.addObject().put("target", target.description()).put("actual", target.actual()).put("comparison", target.comparison())
                            .put("threshold", target.threshold()).put("met", target.met());
                    md.append("| ").append(target.description()).append(" ").append(target.comparison()).append(" ").append(format(target.threshold()))
                            .append(" | ").append(format(target.actual())).append(" | ").append(target.met() ? "met" : "**not met**").append(" |\n");
                }
            }
            ArrayNode notes = entry.putArray("notes");
            measure.notes.forEach(notes::add);
            if (!measure.notes.isEmpty()) {
                md.append('\n');
                measure.notes.forEach(note -> md.append("- ").append(note).append('\n'));
            }
            md.append('\n');
        }
        String existing = Files.exists(markdown) ? Files.readString(markdown) : "";
        String marker = "<!-- notes below are kept between runs -->";
        if (existing.contains(marker)) {
            md.append(existing.substring(existing.indexOf(marker)));
        } else {
            md.append(marker).append('\n');
        }
        if (markdown.toAbsolutePath().getParent() != null) {
            Files.createDirectories(markdown.toAbsolutePath().getParent());
        }
        Files.writeString(markdown, md.toString());
        if (json.toAbsolutePath().getParent() != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
        }
        Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n");
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static ObjectNode machine() {
        ObjectNode machine = JsonNodeFactory.instance.objectNode()
                .put("cpus", Runtime.getRuntime().availableProcessors())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
                .put("java", System.getProperty("java.version"));
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (IOException e) {
            // not Linux; the rest still says enough
        }
        machine.put("cpu", cpu);
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return machine.put("memoryGb", String.format(Locale.ROOT, "%.0f", memory / 1e9));
    }
}
