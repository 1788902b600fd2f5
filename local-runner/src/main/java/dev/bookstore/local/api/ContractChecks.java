package dev.bookstore.local.api;

import dev.bookstore.testkit.ApiContract;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every routed request and the answer its function gave, checked against openapi.yaml as it happens: a developer
 * sees at once when the code and the spec part, and a test fails on {@link #violations()}. API Gateway's own
 * answers (no route, no such method, too large) are not the spec's business and are not checked.
 */
public final class ContractChecks {

    /** Checks nothing: the bench measures the service, not the validator. */
    public static final ContractChecks NONE = new ContractChecks(null, null);

    private final ApiContract contract;
    private final PrintStream console;
    private final List<String> violations = new CopyOnWriteArrayList<>();

    private ContractChecks(ApiContract contract, PrintStream console) {
        this.contract = contract;
        this.console = console;
    }

    public static ContractChecks against(Path spec, PrintStream console) {
        return spec == null ? NONE : new ContractChecks(ApiContract.load(spec), console);
    }

    /** Whether exchanges are checked; when not, the server builds none (the bench measures the service alone). */
    boolean enabled() {
        return contract != null;
    }

    void observe(ApiContract.Exchange exchange) {
        String line;
        try {
            List<String> found = contract.violations(exchange);
            if (found.isEmpty()) {
                return;
            }
            line = exchange + " breaks openapi.yaml: " + String.join("; ", found);
        } catch (RuntimeException | LinkageError e) {
            // On the server's thread after the answer is sent, a failure would vanish: a check that did not run is reported.
            line = exchange + " could not be checked against openapi.yaml: " + e;
        }
        violations.add(line);
        console.println("Contract: " + line);
    }

    /** What broke the spec since the start, one line per exchange. */
    public List<String> violations() {
        return List.copyOf(violations);
    }
}
