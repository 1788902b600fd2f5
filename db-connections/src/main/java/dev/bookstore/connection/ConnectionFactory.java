package dev.bookstore.connection;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens one new physical connection: to PostgreSQL or RDS Proxy on AWS, from a local pool standing in for the proxy. */
@FunctionalInterface
public interface ConnectionFactory {

    Connection open() throws SQLException;
}
