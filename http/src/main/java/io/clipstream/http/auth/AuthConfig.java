package io.clipstream.http.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who may call a service's protected endpoints: bearer tokens whose SHA-256 the service knows. With none configured,
 * every protected request is refused (secure by default).
 */
@ConfigMapping(prefix = "clipstream.auth")
public interface AuthConfig {

    /** Off ({@code false}) lets anyone who reaches the service operate it: only behind a gateway that checks. */
    @WithDefault("true")
    boolean enabled();

    /** A file of {@code role:sha256-hex} lines ({@code CLIPSTREAM_AUTH_TOKENS_FILE}), see {@link TokenSet}. */
    Optional<Path> tokensFile();

    /** One operator token in plain text ({@code CLIPSTREAM_AUTH_OPERATOR_TOKEN}), from a secret's environment. */
    Optional<String> operatorToken();

    /** JWTs of an identity provider, besides the tokens above. */
    Jwt jwt();

    interface Jwt {
        /**
         * On: a bearer token that is a JWT and not a configured token is verified by SmallRye JWT
         * ({@code mp.jwt.verify.publickey.location}, {@code mp.jwt.verify.issuer}; roles from its {@code groups}).
         */
        @WithDefault("false")
        boolean enabled();
    }
}
