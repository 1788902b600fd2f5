package dev.bookstore.config;

/** A setting is missing or wrong; the message names the variable and the problem, never a secret. */
public final class InvalidConfigurationException extends IllegalStateException {

    private final String variable;

    public InvalidConfigurationException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
