package dev.bookstore.connection;

import dev.bookstore.config.InvalidConfigurationException;
import dev.bookstore.config.Settings;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to reach PostgreSQL, read and checked once at start-up. Either a full JDBC URL, or a host,
 * port, database name and user with exactly one password source: a plain variable, an AWS Secrets
 * Manager secret (the JSON that RDS writes), or an RDS IAM auth token.
 *
 * <p>The driver settings suit RDS Proxy: nothing here makes pgjdbc issue a session-level
 * {@code SET}, which would pin the client to one database connection.
 */
public record DatabaseConfig(String jdbcUrl, String user, PasswordSource passwordSource, Properties driverProperties) {

    public static final String URL = "BOOKSTORE_DB_URL";
    public static final String HOST = "BOOKSTORE_DB_HOST";
    public static final String PORT = "BOOKSTORE_DB_PORT";
    public static final String NAME = "BOOKSTORE_DB_NAME";
    public static final String USER = "BOOKSTORE_DB_USER";
    public static final String PASSWORD = "BOOKSTORE_DB_PASSWORD";
    public static final String SECRET_ARN = "BOOKSTORE_DB_SECRET_ARN";
    public static final String IAM_AUTH = "BOOKSTORE_DB_IAM_AUTH";
    public static final String SSL_MODE = "BOOKSTORE_DB_SSL_MODE";
    public static final String CONNECT_TIMEOUT = "BOOKSTORE_DB_CONNECT_TIMEOUT_SECONDS";
    public static final String SOCKET_TIMEOUT = "BOOKSTORE_DB_SOCKET_TIMEOUT_SECONDS";
    public static final String APPLICATION_NAME = "BOOKSTORE_DB_APPLICATION_NAME";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";

    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]{1,253}");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&]*");

    public DatabaseConfig {
        driverProperties = copy(driverProperties);
    }

    /** A copy: the configuration stays as it was checked. */
    @Override
    public Properties driverProperties() {
        return copy(driverProperties);
    }

    private static Properties copy(Properties props) {
        Properties copy = new Properties();
        copy.putAll(props);
        return copy;
    }

    public static DatabaseConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static DatabaseConfig from(Map<String, String> env) {
        Settings settings = new Settings(env);
        Properties props = driverProperties(settings);
        String url = settings.optional(URL);
        String host = settings.optional(HOST);
        if (url != null && host != null) {
            throw new InvalidConfigurationException(URL, "set either " + URL + " or " + HOST + ", not both");
        }
        if (url == null && host == null) {
            throw new InvalidConfigurationException(HOST, "not set; set " + HOST + " (with " + NAME + ", " + USER
                    + " and a password source) or a full " + URL);
        }
        if (url != null) {
            if (!url.startsWith("jdbc:") || !driverAccepts(url)) {
                throw new InvalidConfigurationException(URL, "must be a JDBC URL such as jdbc:postgresql://host:5432/bookstore"
                        + " (no JDBC driver here accepts it), was " + mask(url));
            }
            PasswordSource source = passwordSource(settings, null, 0, settings.optional(USER), false);
            return new DatabaseConfig(url, settings.optional(USER), source, props);
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new InvalidConfigurationException(HOST, "not a host name: " + host);
        }
        int port = settings.integer(PORT, 5432, 1, 65535);
        String name = settings.required(NAME);
        String user = settings.optional(USER);
        PasswordSource source = passwordSource(settings, host, port, user, true);
        if (user == null && !(source instanceof PasswordSource.FromSecret)) {
            throw new InvalidConfigurationException(USER, "not set (only a Secrets Manager secret can supply the user)");
        }
        if (source instanceof PasswordSource.IamToken && "disable".equals(props.getProperty("sslmode"))) {
            throw new InvalidConfigurationException(SSL_MODE, "IAM authentication requires TLS; disable is not allowed with " + IAM_AUTH);
        }
        return new DatabaseConfig("jdbc:postgresql://" + host + ":" + port + "/" + name, user, source, props);
    }

    private static PasswordSource passwordSource(Settings settings, String host, int port, String user, boolean required) {
        String password = settings.optional(PASSWORD);
        String secretArn = settings.optional(SECRET_ARN);
        boolean iam = settings.flag(IAM_AUTH);
        int chosen = (password != null ? 1 : 0) + (secretArn != null ? 1 : 0) + (iam ? 1 : 0);
        if (chosen > 1) {
            throw new InvalidConfigurationException(PASSWORD, "more than one password source; set only one of "
                    + PASSWORD + ", " + SECRET_ARN + ", " + IAM_AUTH + "=true");
        }
        if (password != null) {
            return new PasswordSource.Fixed(password);
        }
        if (secretArn != null) {
            if (!secretArn.startsWith("arn:")) {
                throw new InvalidConfigurationException(SECRET_ARN, "not an ARN: " + secretArn);
            }
            return new PasswordSource.FromSecret(secretArn, settings.required(AWS_REGION));
        }
        if (iam) {
            if (host == null) {
                throw new InvalidConfigurationException(IAM_AUTH, "needs " + HOST + " and " + PORT + ", not a full " + URL);
            }
            if (user == null) {
                throw new InvalidConfigurationException(USER, "not set; IAM authentication connects as a named database user");
            }
            return new PasswordSource.IamToken(host, port, user, settings.required(AWS_REGION));
        }
        if (required) {
            throw new InvalidConfigurationException(PASSWORD, "no password source; set one of "
                    + PASSWORD + ", " + SECRET_ARN + ", " + IAM_AUTH + "=true");
        }
        return PasswordSource.NONE;
    }

    private static Properties driverProperties(Settings settings) {
        Properties props = new Properties();
        int connectTimeout = settings.integer(CONNECT_TIMEOUT, 5, 1, 60);
        int socketTimeout = settings.integer(SOCKET_TIMEOUT, 20, 1, 900);
        props.setProperty("connectTimeout", String.valueOf(connectTimeout));
        props.setProperty("loginTimeout", String.valueOf(connectTimeout));
        props.setProperty("socketTimeout", String.valueOf(socketTimeout));
        props.setProperty("tcpKeepAlive", "true");
        // Below 9.0 pgjdbc sends the application name with a SET after connecting; this puts it in the startup packet.
        props.setProperty("assumeMinServerVersion", "14");
        props.setProperty("ApplicationName", settings.optional(APPLICATION_NAME,
                settings.optional(LAMBDA_FUNCTION_NAME, "bookstore")));
        // Unnamed statements only: a named server-side prepared statement is session state that pins a proxy session.
        props.setProperty("prepareThreshold", "0");
        String sslMode = settings.optional(SSL_MODE);
        if (sslMode == null && settings.optional(HOST) != null) {
            sslMode = "verify-full";
        }
        if (sslMode != null) {
            sslMode = sslMode.toLowerCase(Locale.ROOT);
            if (!SSL_MODES.contains(sslMode)) {
                throw new InvalidConfigurationException(SSL_MODE, "must be one of " + SSL_MODES + ", was " + sslMode);
            }
            props.setProperty("sslmode", sslMode);
            if (sslMode.startsWith("verify")) {
                // The JVM's trust store holds the Amazon roots that RDS Proxy's certificate chains to.
                props.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
            }
        }
        return props;
    }

    /**
     * Whether a registered driver (PostgreSQL's, or the local runner's stand-in for the proxy) takes the URL;
     * checked at start, or a typo would fail every batch as if the database were down.
     */
    private static boolean driverAccepts(String url) {
        try {
            DriverManager.getDriver(url);
            return true;
        } catch (SQLException noDriver) {
            return false;
        }
    }

    /** How long opening a connection may take before the driver gives up. */
    public Duration connectTimeout() {
        return Duration.ofSeconds(Long.parseLong(driverProperties.getProperty("connectTimeout")));
    }

    /** How long the driver waits for the database's answer to a statement before it gives up. */
    public Duration socketTimeout() {
        return Duration.ofSeconds(Long.parseLong(driverProperties.getProperty("socketTimeout")));
    }

    /** For logs: the URL with any password masked, the user, and where the password comes from. */
    public String describe() {
        return mask(jdbcUrl) + " as " + (user == null ? "(user from URL)" : user) + " with " + passwordSource.describe()
                + ", sslmode=" + driverProperties.getProperty("sslmode", "(driver default)")
                + ", socketTimeout=" + driverProperties.getProperty("socketTimeout") + "s";
    }

    @Override
    public String toString() {
        return "DatabaseConfig[" + describe() + "]";
    }

    static String mask(String url) {
        return PASSWORD_IN_URL.matcher(url).replaceAll("$1***");
    }
}
