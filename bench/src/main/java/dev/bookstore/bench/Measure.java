package dev.bookstore.bench;

import java.util.ArrayList;
import java.util.List;

/** One benchmark's figures, the baselines they are compared with, and the targets they meet or miss. */
final class Measure {

    record Figure(String label, double value, String unit) {
    }

    record Target(String description, double actual, String comparison, double threshold) {
        boolean met() {
            return comparison.equals("<=") ? actual <= threshold : actual >= threshold;
        }
    }

    final String name;
    final String command;
    final List<Figure> figures = new ArrayList<>();
    final List<Target> targets = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Measure(String name, String command) {
        this.name = name;
        this.command = command;
    }

    Measure figure(String label, double value, String unit) {
        figures.add(new Figure(label, value, unit));
        return this;
    }

    Measure target(String description, double actual, String comparison, double threshold) {
        targets.add(new Target(description, actual, comparison, threshold));
        return this;
    }

    Measure note(String note) {
        notes.add(note);
        return this;
    }
}
