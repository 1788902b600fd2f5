package dev.bookstore.db;

import dev.bookstore.connection.ConnectionFactory;
import dev.bookstore.connection.DatabaseConfig;
import dev.bookstore.connection.PostgresConnector;
import dev.bookstore.connection.SingleConnectionDataSource;
import dev.bookstore.mapper.BookMapper;
import dev.bookstore.mapper.ChangeEventMapper;
import dev.bookstore.mapper.OutcomeMapper;
import dev.bookstore.mapper.RetentionMapper;
import dev.bookstore.mapper.ReviewMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.scripting.defaults.DefaultParameterHandler;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.LocalCacheScope;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/**
 * The service's access to PostgreSQL: one {@link SqlSessionFactory} per execution environment and
 * one session per unit of work. Failures come out as {@link DatabaseException} subtypes: transient
 * (retry), a {@link ConstraintViolationException} (never retry), or unclassified (retry).
 */
public final class Database implements AutoCloseable {

    /** A unit of work over the mappers of one session. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Mappers mappers);
    }

    private final SqlSessionFactory sessions;
    private final DataSource dataSource;

    private Database(DataSource dataSource) {
        this.dataSource = dataSource;
        this.sessions = new SqlSessionFactoryBuilder().build(configuration(dataSource));
    }

    /** Inside a Lambda: one connection for this execution environment, opened as the environment says. */
    public static Database fromEnvironment(Map<String, String> env) {
        return singleConnection(new PostgresConnector(DatabaseConfig.from(env)));
    }

    /** One connection held for the life of this instance, reopened through {@code factory} after it breaks. */
    public static Database singleConnection(ConnectionFactory factory) {
        return new Database(new SingleConnectionDataSource(factory));
    }

    /** Over a pool that manages its own connections (tools, tests). */
    public static Database pooled(DataSource dataSource) {
        return new Database(dataSource);
    }

    /** Runs {@code work} in one transaction and commits it; on any failure, Errors included, nothing of it is kept. */
    public <T> T inTransaction(Work<T> work) {
        try (SqlSession session = sessions.openSession(false)) {
            T result;
            try {
                result = work.run(new Mappers(session));
                // Forced: inserts with RETURNING are selects to MyBatis and would not mark the session dirty.
                session.commit(true);
            } catch (Throwable failure) {
                // Forced for the same reason: close() would skip the rollback of a session it thinks clean, and
                // pgjdbc's return to auto-commit would then commit what the work did before it failed.
                rollback(session, failure);
                throw failure;
            }
            return result;
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    private static void rollback(SqlSession session, Throwable failure) {
        try {
            session.rollback(true);
        } catch (RuntimeException | Error rollbackFailed) {
            // The connection is likely gone with the transaction; the failure that caused it is the one to report.
            failure.addSuppressed(rollbackFailed);
        }
    }

    /** Runs {@code work} in autocommit mode: each statement is its own snapshot, no transaction is held open. */
    public <T> T read(Work<T> work) {
        try (SqlSession session = sessions.openSession(true)) {
            return work.run(new Mappers(session));
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    /**
     * The plan PostgreSQL chooses for a mapper statement with these parameters, as EXPLAIN's JSON;
     * {@code analyze} runs it too. For tests that pin query plans, and for the benchmarks' profiles.
     */
    public String explain(String statementId, Map<String, Object> parameters, boolean analyze) {
        MappedStatement statement = sessions.getConfiguration().getMappedStatement(statementId);
        BoundSql bound = statement.getBoundSql(parameters);
        String prefix = analyze ? "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " : "EXPLAIN (FORMAT JSON) ";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement explain = connection.prepareStatement(prefix + bound.getSql())) {
            new DefaultParameterHandler(statement, parameters, bound).setParameters(explain);
            try (ResultSet plan = explain.executeQuery()) {
                plan.next();
                return plan.getString(1);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e);
        }
    }

    /**
     * Builds the SQL of mapper statements with sample parameters, without a connection: their dynamic SQL parsed and
     * evaluated once, so that a SnapStart snapshot holds it ready. {@code statements} maps a statement's id (such as
     * {@code BookMapper.listBooks}) to its parameters.
     */
    public void prime(Map<String, Map<String, Object>> statements) {
        Configuration config = sessions.getConfiguration();
        statements.forEach((id, parameters) -> config.getMappedStatement("dev.bookstore.mapper." + id).getBoundSql(parameters));
    }

    /** Closes the connection this instance holds, if any; the next unit of work opens a new one (after a SnapStart restore). */
    public void discardConnection() {
        if (dataSource instanceof SingleConnectionDataSource single) {
            single.discard();
        }
    }

    /** The data source underneath, for migrations and diagnostics. */
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        if (dataSource instanceof SingleConnectionDataSource single) {
            single.close();
        }
    }

    private RuntimeException failed(RuntimeException e) {
        if (!(e instanceof PersistenceException) && !(e instanceof DatabaseException)) {
            return e; // the caller's own failure, not the database's
        }
        DatabaseException translated = DatabaseErrors.translate(e);
        if (translated instanceof TransientDatabaseException && dataSource instanceof SingleConnectionDataSource single) {
            // The connection may be the broken part; the next unit of work starts on a new one.
            single.discard();
        }
        return translated;
    }

    private static Configuration configuration(DataSource dataSource) {
        Configuration config = new Configuration(new Environment("bookstore", new JdbcTransactionFactory(), dataSource));
        config.setMapUnderscoreToCamelCase(true);
        config.setArgNameBasedConstructorAutoMapping(true);
        config.setCacheEnabled(false);
        // One line per statement: smaller to send, and readable in the server's log.
        config.setShrinkWhitespacesInSql(true);
        config.setLocalCacheScope(LocalCacheScope.STATEMENT);
        config.getTypeHandlerRegistry().register(UUID.class, new UuidTypeHandler());
        config.getTypeHandlerRegistry().register(Instant.class, new InstantTypeHandler());
        config.getTypeAliasRegistry().registerAlias("textArray", TextArrayTypeHandler.class);
        config.addMapper(BookMapper.class);
        config.addMapper(ReviewMapper.class);
        config.addMapper(OutcomeMapper.class);
        config.addMapper(ChangeEventMapper.class);
        config.addMapper(RetentionMapper.class);
        return config;
    }
}
