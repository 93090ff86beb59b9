package io.clipstream.http.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <token>} for {@link TokenIdentityProvider}. A request without the header stays
 * anonymous (health and metrics need no token; a protected endpoint answers 401, see {@link AuthAnswers}). With
 * {@code clipstream.auth.jwt.enabled}, a JWT that is no configured token is left to SmallRye JWT's mechanism, tried
 * after this one.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer";

    /** Who calls when authentication is switched off: may do everything. */
    private static final SecurityIdentity UNCHECKED = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("unchecked (clipstream.auth.enabled=false)"))
            .addRoles(Set.of(Roles.OPERATOR, Roles.CLIENT)).build();

    private final AuthConfig config;
    private final TokenIdentityProvider tokens;

    public BearerTokenMechanism(AuthConfig config, TokenIdentityProvider tokens) {
        this.config = config;
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!config.enabled()) {
            return Uni.createFrom().item(UNCHECKED);
        }
        String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        if (!header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)
                || header.substring(SCHEME.length() + 1).isBlank()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the Authorization header is not a "
                    + "bearer token: send Authorization: Bearer <token>"));
        }
        String token = header.substring(SCHEME.length() + 1).strip();
        if (config.jwt().enabled() && looksLikeJwt(token) && !tokens.knows(token)) {
            return Uni.createFrom().nullItem();
        }
        BearerTokenRequest request = new BearerTokenRequest(new TokenCredential(token, SCHEME.toLowerCase()));
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request);
    }

    /** Three base64url segments: header, claims, signature. */
    private static boolean looksLikeJwt(String token) {
        return token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    }

    /** Before SmallRye JWT's mechanism, so that configured tokens are never parsed as JWTs. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, SCHEME));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(BearerTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION,
                SCHEME.toLowerCase()));
    }
}
