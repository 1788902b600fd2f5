package dev.bookstore.local.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * RDS Proxy's part: a JDBC URL ({@value #URL}) that hands out connections from a bounded pool per database
 * user, as the proxy pools per user. The functions are configured with it exactly as on AWS they are with the
 * proxy's endpoint and their own user, and each execution environment holds one of these connections, as it
 * would hold one to the proxy.
 */
public final class LocalProxyDriver implements Driver {

    public static final String URL = "jdbc:bookstore-local-proxy:default";

    private final Function<String, DataSource> poolOfUser;
    private volatile Duration delay = Duration.ZERO;
    private volatile Predicate<String> failing = sql -> false;
    private final AtomicLong failed = new AtomicLong();

    private LocalProxyDriver(Function<String, DataSource> poolOfUser) {
        this.poolOfUser = poolOfUser;
    }

    /**
     * Registers the proxy for {@link #URL}, taking each connection from the pool of the user it is asked for
     * (null when none is); the returned driver is deregistered on {@link #deregister()}.
     */
    public static LocalProxyDriver register(Function<String, DataSource> poolOfUser) throws SQLException {
        LocalProxyDriver driver = new LocalProxyDriver(poolOfUser);
        DriverManager.registerDriver(driver);
        return driver;
    }

    public void deregister() {
        try {
            DriverManager.deregisterDriver(this);
        } catch (SQLException e) {
            // Nothing to undo: it was never registered, or the JVM is exiting.
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        return acceptsURL(url) ? slowable(poolOfUser.apply(info == null ? null : info.getProperty("user")).getConnection()) : null;
    }

    void delay(Duration delay) {
        this.delay = delay;
    }

    /** Statements whose SQL matches throw, as a bug in the code running them would; returns how many did so far. */
    long failStatements(Predicate<String> sql) {
        this.failing = sql;
        return failed.get();
    }

    /**
     * The connection, with every statement execution and commit delayed while a delay is set, and the statements
     * {@link #failStatements chosen to fail} throwing an unchecked exception instead of running.
     */
    private Connection slowable(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        pause();
                    }
                    Object result = invoke(connection, method, args);
                    if (result instanceof PreparedStatement statement && method.getName().equals("prepareStatement")) {
                        return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                                (statementProxy, statementMethod, statementArgs) -> {
                                    if (statementMethod.getName().startsWith("execute")) {
                                        pause();
                                        if (failing.test(String.valueOf(args[0]))) {
                                            failed.incrementAndGet();
                                            throw new IllegalStateException("a bug injected by the local runner's fault hooks");
                                        }
                                    }
                                    return invoke(statement, statementMethod, statementArgs);
                                });
                    }
                    return result;
                });
    }

    private void pause() throws InterruptedException {
        Duration current = delay;
        if (!current.isZero()) {
            Thread.sleep(current.toMillis());
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return URL.equals(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
