package dev.bookstore.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files at the repository root (openapi.yaml, template.yaml), found from whichever module's tests run. */
public final class RepositoryFiles {

    private RepositoryFiles() {
    }

    public static Path find(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(name)) && Files.exists(dir.resolve(".ci"))) {
                return dir.resolve(name);
            }
        }
        throw new IllegalStateException(name + " not found at the repository root above " + Path.of("").toAbsolutePath());
    }
}
