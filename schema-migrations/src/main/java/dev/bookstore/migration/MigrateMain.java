package dev.bookstore.migration;

import dev.bookstore.connection.DatabaseConfig;
import dev.bookstore.config.InvalidConfigurationException;
import dev.bookstore.connection.PostgresConnector;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the migrations from a shell, configured by the same {@code BOOKSTORE_DB_*} variables as the
 * Lambdas: {@code java -cp shared-mappers/target/lambda/schema-migrator.jar dev.bookstore.migration.MigrateMain}.
 */
public final class MigrateMain {

    private MigrateMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.err.println("usage: MigrateMain   (configured by BOOKSTORE_DB_URL, or BOOKSTORE_DB_HOST/PORT/NAME/USER "
                    + "with BOOKSTORE_DB_PASSWORD, BOOKSTORE_DB_SECRET_ARN or BOOKSTORE_DB_IAM_AUTH=true)");
            System.exit(2);
        }
        try {
            DatabaseConfig config = DatabaseConfig.fromEnvironment();
            System.out.println("migrating " + config.describe());
            MigrateResult result = Migrations.apply(new PostgresConnector(config, new SecretsManagerSecrets()).asDataSource());
            System.out.println("schema at version " + result.targetSchemaVersion + ", " + result.migrationsExecuted
                    + " migrations applied");
        } catch (InvalidConfigurationException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("migration failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
