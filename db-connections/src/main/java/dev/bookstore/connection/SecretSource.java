package dev.bookstore.connection;

import java.sql.SQLException;

/**
 * Reads the text of an AWS Secrets Manager secret. An interface so that only the function that reads a secret (the
 * schema migrator) carries the Secrets Manager client; the others connect with IAM auth tokens.
 */
@FunctionalInterface
public interface SecretSource {

    String read(PasswordSource.FromSecret secret) throws SQLException;
}
