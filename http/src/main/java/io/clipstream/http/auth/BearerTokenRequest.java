package io.clipstream.http.auth;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A bearer token for {@link TokenIdentityProvider} only: its own type, so that SmallRye JWT's provider (which takes
 * every {@code TokenAuthenticationRequest}) never sees configured tokens, nor this provider JWTs.
 */
public final class BearerTokenRequest extends BaseAuthenticationRequest {

    private final TokenCredential token;

    public BearerTokenRequest(TokenCredential token) {
        this.token = token;
    }

    public TokenCredential getToken() {
        return token;
    }
}
