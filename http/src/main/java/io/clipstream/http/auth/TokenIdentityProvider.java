package io.clipstream.http.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Knows the configured bearer tokens ({@link AuthConfig}) and gives a known one its role. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<BearerTokenRequest> {

    /** What a refused request and the start log say when the service knows no token. */
    public static final String NOT_CONFIGURED = "this service has no bearer tokens configured, so it refuses every "
            + "protected request: set clipstream.auth.tokens-file (CLIPSTREAM_AUTH_TOKENS_FILE) to a file of "
            + "role:sha256-hex lines, or clipstream.auth.operator-token (CLIPSTREAM_AUTH_OPERATOR_TOKEN); "
            + "`clipstream local up` does this for you";

    private static final Logger LOG = Logger.getLogger(TokenIdentityProvider.class);

    private final AuthConfig config;
    private final TokenSet tokens;

    public TokenIdentityProvider(AuthConfig config) {
        this.config = config;
        this.tokens = TokenSet.of(config.tokensFile(), config.operatorToken());
    }

    void announce(@Observes StartupEvent start) {
        if (!config.enabled()) {
            LOG.warn("Authentication is OFF (clipstream.auth.enabled=false): anyone who reaches this service may "
                    + "operate it");
        } else if (config.jwt().enabled()) {
            LOG.infof("Bearer tokens: %d operator, %d client, and JWTs (SmallRye JWT, mp.jwt.verify.*)",
                    tokens.count(Roles.OPERATOR), tokens.count(Roles.CLIENT));
        } else if (tokens.isEmpty()) {
            LOG.warn(NOT_CONFIGURED);
        } else {
            LOG.infof("Bearer tokens: %d operator, %d client%s", tokens.count(Roles.OPERATOR),
                    tokens.count(Roles.CLIENT), config.tokensFile().map(file -> " (" + file + ")").orElse(""));
        }
    }

    /** Whether any token is known: a configured one, or JWTs of an identity provider. */
    public boolean hasTokens() {
        return !tokens.isEmpty() || config.jwt().enabled();
    }

    boolean knows(String token) {
        return tokens.match(token).isPresent();
    }

    @Override
    public Class<BearerTokenRequest> getRequestType() {
        return BearerTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(BearerTokenRequest request, AuthenticationRequestContext context) {
        if (!hasTokens()) {
            return Uni.createFrom().failure(new AuthenticationFailedException(NOT_CONFIGURED));
        }
        Optional<TokenSet.Entry> known = tokens.match(request.getToken().getToken());
        if (known.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "the bearer token is not one this service knows"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(known.get().name()))
                .addRole(known.get().role())
                .addCredential(request.getToken())
                .build());
    }
}
