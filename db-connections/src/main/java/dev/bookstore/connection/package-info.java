/**
 * How a function reaches PostgreSQL: configuration read and checked once at start, the password from its source at
 * each connect (a fixed one, an RDS IAM auth token, or a secret through a {@link dev.bookstore.connection.SecretSource}),
 * and one connection per Lambda execution environment, with driver settings that do not pin an RDS Proxy session.
 */
package dev.bookstore.connection;
