package dev.bookstore.client.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;

/** Credentials that never change, for tests and for callers who hold keys; the SDK's StaticCredentialsProvider is in a module this client does without. */
public final class FixedCredentials implements IdentityProvider<AwsCredentialsIdentity> {

    private final AwsCredentialsIdentity credentials;

    public FixedCredentials(AwsCredentialsIdentity credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public Class<AwsCredentialsIdentity> identityType() {
        return AwsCredentialsIdentity.class;
    }

    @Override
    public CompletableFuture<AwsCredentialsIdentity> resolveIdentity(ResolveIdentityRequest request) {
        return CompletableFuture.completedFuture(credentials);
    }
}
