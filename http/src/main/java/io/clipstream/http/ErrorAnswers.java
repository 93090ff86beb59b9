package io.clipstream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.TreeSet;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error answer of every service says what was wrong, as {@code {"error": "..."}}: the services' own
 * {@link HttpError}s, and what the framework would otherwise answer with an empty body (unknown path or method,
 * unsupported Content-Type, unacceptable Accept, malformed JSON) or a stack trace page (anything unexpected).
 * Answers that Vert.x gives before a resource is chosen are in {@link ErrorRoutes}.
 */
public class ErrorAnswers {

    private static final Logger LOG = Logger.getLogger(ErrorAnswers.class);

    /** What the service takes, where it says so. */
    @Inject
    Instance<AcceptedBodies> acceptedBodies;

    /** The one shape of an error answer. */
    public static Response error(Response.StatusType status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }

    @ServerExceptionMapper
    public Response httpError(HttpError e) {
        return error(e.status(), e.getMessage() == null ? e.toString() : e.getMessage());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String where = request.method() + " " + request.path();
        String message = switch (e) {
            case NotFoundException notFound -> "no resource at " + where;
            case NotAllowedException notAllowed -> request.method() + " is not allowed on " + request.path()
                    + "; allowed: " + String.join(", ", new TreeSet<>(e.getResponse().getAllowedMethods()));
            case NotSupportedException unsupported -> "unsupported Content-Type \""
                    + request.getHeader(HttpHeaders.CONTENT_TYPE) + "\"" + (acceptedBodies.isResolvable()
                            ? ": send " + acceptedBodies.get().howToSend() : " for " + where);
            case NotAcceptableException notAcceptable -> "cannot answer " + where + " in any type of Accept: "
                    + request.getHeader(HttpHeaders.ACCEPT);
            default -> status.getStatusCode() + " " + status.getReasonPhrase() + " for " + where
                    + (e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? "" : ": " + e.getMessage());
        };
        return error(status, message);
    }

    /** A JSON body the framework itself could not read into a resource's parameter. */
    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return error(Response.Status.BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        LOG.errorf(e, "%s %s failed", request.method(), request.path());
        return error(Response.Status.INTERNAL_SERVER_ERROR, "internal error while answering " + request.method() + " "
                + request.path() + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
}
