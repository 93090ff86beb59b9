package io.clipstream.http.auth;

import io.clipstream.http.ErrorAnswers;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Refused requests as {@code {"error": "..."}}: 401 when no known token came (missing, unknown, or none configured),
 * 403 when the token's role may not use the endpoint. Needs {@code quarkus.http.auth.proactive=false}, so that
 * authentication happens in the resource layer, where these mappers answer.
 */
public class AuthAnswers {

    @Inject
    TokenIdentityProvider tokens;

    @Inject
    SecurityIdentity identity;

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return challenge(tokens.hasTokens() ? request.method() + " " + request.path() + " needs a bearer token: send "
                + "Authorization: Bearer <token>" : TokenIdentityProvider.NOT_CONFIGURED);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return challenge(e.getMessage() == null ? "the bearer token is not one this service knows" : e.getMessage());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request, ResourceInfo resource) {
        String needed = rolesAllowed(resource).map(roles -> "the role " + String.join(" or ", new TreeSet<>(roles)))
                .orElse("another role");
        return ErrorAnswers.error(Response.Status.FORBIDDEN, request.method() + " " + request.path() + " needs "
                + needed + "; this token has the role " + String.join(", ", new TreeSet<>(identity.getRoles())));
    }

    private static Response challenge(String message) {
        Response answer = ErrorAnswers.error(Response.Status.UNAUTHORIZED, message);
        return Response.fromResponse(answer).header(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer").build();
    }

    private static Optional<List<String>> rolesAllowed(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        RolesAllowed allowed = method == null ? null : method.getAnnotation(RolesAllowed.class);
        if (allowed == null && resource != null && resource.getResourceClass() != null) {
            allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        return Optional.ofNullable(allowed).map(a -> List.of(a.value()));
    }
}
