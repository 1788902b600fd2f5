package dev.bookstore.config;

import java.net.URI;
import java.util.Map;

/**
 * Typed reads of environment variables. Blank counts as unset; every error names the variable and
 * what was wrong with it. Handlers take the environment as a map so a local runner can give each
 * simulated function its own, as Lambda does.
 */
public record Settings(Map<String, String> env) {

    public Settings {
        env = Map.copyOf(env);
    }

    public static Settings fromSystem() {
        return new Settings(System.getenv());
    }

    public String optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String optional(String name, String fallback) {
        String value = optional(name);
        return value == null ? fallback : value;
    }

    public String required(String name) {
        String value = optional(name);
        if (value == null) {
            throw new InvalidConfigurationException(name, "not set");
        }
        return value;
    }

    public int integer(String name, int fallback, int min, int max) {
        String value = optional(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new InvalidConfigurationException(name, "must be between " + min + " and " + max + ", was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(name, "not a whole number: " + value);
        }
    }

    public boolean flag(String name) {
        String value = optional(name);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidConfigurationException(name, "must be true or false, was " + value);
    }

    /** An absolute http(s) URL, or null when unset. */
    public URI optionalUrl(String name) {
        String value = optional(name);
        if (value == null) {
            return null;
        }
        try {
            URI uri = URI.create(value);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new InvalidConfigurationException(name, "not an absolute http(s) URL: " + value);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(name, "not a URL: " + value);
        }
    }

    public URI requiredUrl(String name) {
        URI uri = optionalUrl(name);
        if (uri == null) {
            throw new InvalidConfigurationException(name, "not set");
        }
        return uri;
    }
}
