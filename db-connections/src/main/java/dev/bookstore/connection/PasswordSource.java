package dev.bookstore.connection;

/** Where the password for a new connection comes from. Resolved at each connect, so rotation is picked up. */
public sealed interface PasswordSource {

    PasswordSource NONE = new None();

    /** For logs: never the password itself. */
    String describe();

    /** The user and password are in the JDBC URL, or the server trusts the client. */
    record None() implements PasswordSource {
        @Override
        public String describe() {
            return "no separate password";
        }
    }

    record Fixed(String password) implements PasswordSource {
        @Override
        public String describe() {
            return "a password from " + DatabaseConfig.PASSWORD;
        }

        @Override
        public String toString() {
            return "Fixed[***]";
        }
    }

    /** The JSON secret that RDS writes: {@code username}, {@code password}, and more we do not need. */
    record FromSecret(String secretArn, String region) implements PasswordSource {
        @Override
        public String describe() {
            return "the secret " + secretArn;
        }
    }

    /** A 15-minute RDS IAM auth token, signed for the proxy or cluster endpoint and user. */
    record IamToken(String host, int port, String user, String region) implements PasswordSource {
        @Override
        public String describe() {
            return "an IAM auth token for " + user + "@" + host + ":" + port + " in " + region;
        }
    }
}
