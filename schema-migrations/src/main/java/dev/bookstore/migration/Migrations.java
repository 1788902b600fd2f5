package dev.bookstore.migration;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** The schema's versioned migrations under {@code db/migration}, applied in order, each once. */
public final class Migrations {

    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    /** Applies what is pending; a no-op when the schema is current. Returns the schema version afterwards. */
    public static MigrateResult apply(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                // A migration edited after it was applied is a mistake to stop on, not to repair silently.
                .validateOnMigrate(true)
                .load()
                .migrate();
    }
}
