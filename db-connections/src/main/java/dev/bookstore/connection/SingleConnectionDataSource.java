package dev.bookstore.connection;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The one connection of a Lambda execution environment. Not a pool: Lambda runs one invocation
 * at a time per environment, and RDS Proxy does the pooling. The connection is opened on first
 * use, handed out one borrower at a time, checked before reuse after it has been idle (a frozen
 * environment may find it closed by the proxy), and reopened after {@link #discard()}.
 */
public final class SingleConnectionDataSource extends BasicDataSource implements AutoCloseable {

    private static final Duration VALIDATE_AFTER_IDLE = Duration.ofSeconds(30);
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final ConnectionFactory factory;
    private Connection physical;
    private boolean borrowed;
    private long returnedAtNanos;

    public SingleConnectionDataSource(ConnectionFactory factory) {
        this.factory = factory;
    }

    @Override
    public synchronized Connection getConnection() throws SQLException {
        if (borrowed) {
            throw new SQLException("the connection of this execution environment is already in use; "
                    + "an environment runs one invocation at a time", "55000");
        }
        if (physical == null || physical.isClosed() || (idleTooLong() && !physical.isValid(VALIDATION_TIMEOUT_SECONDS))) {
            discard();
            physical = factory.open();
        }
        borrowed = true;
        return borrowedView(physical);
    }

    /** Closes the physical connection, if any; the next borrower gets a new one. */
    public synchronized void discard() {
        if (physical != null) {
            try {
                physical.close();
            } catch (SQLException ignored) {
                // It is being thrown away because it is broken; there is nothing to report.
            }
            physical = null;
        }
    }

    /** Whether a physical connection is open now (for tests and footprint checks). */
    public synchronized boolean isOpen() {
        try {
            return physical != null && !physical.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        discard();
    }

    private boolean idleTooLong() {
        return System.nanoTime() - returnedAtNanos > VALIDATE_AFTER_IDLE.toNanos();
    }

    private synchronized void giveBack(Connection connection) {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            discard();
        } finally {
            borrowed = false;
            returnedAtNanos = System.nanoTime();
        }
    }

    /** A view whose close() returns the connection instead of closing it. */
    private Connection borrowedView(Connection connection) {
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            if (!closed[0]) {
                                closed[0] = true;
                                giveBack(connection);
                            }
                            return null;
                        case "isClosed":
                            return closed[0] || connection.isClosed();
                        case "unwrap":
                        case "isWrapperFor":
                            break;
                        default:
                            if (closed[0]) {
                                throw new SQLException("connection already returned", "08003");
                            }
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
