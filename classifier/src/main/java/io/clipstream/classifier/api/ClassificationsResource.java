package io.clipstream.classifier.api;

import io.clipstream.classifier.stream.ClassificationFeed;
import io.clipstream.http.auth.Roles;
import io.clipstream.schemas.ClassificationFilter;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Live classifications as server-sent events, one JSON object per event. */
@Path("/classifications")
@RolesAllowed(Roles.CLIENT)
public class ClassificationsResource {

    private final ClassificationFeed feed;

    public ClassificationsResource(ClassificationFeed feed) {
        this.feed = feed;
    }

    /**
     * @param labelSet only this label set
     * @param label    only classifications listing this label
     * @param minScore at least this probability (of {@code label} if given, else of the most probable label)
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<ClassificationView> stream(@RestQuery String labelSet, @RestQuery String label,
            @RestQuery String minScore, @Context HttpServerRequest request) {
        ClassificationFilter filter = new ClassificationFilter(blankToNull(labelSet), blankToNull(label), score(minScore));
        return feed.subscribe(filter, client(request));
    }

    /** The remote address (the proxy's, unless quarkus.http.proxy.proxy-address-forwarding is on). */
    private static String client(HttpServerRequest request) {
        return request == null || request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    /** Parsed here: a framework conversion failure would answer 404 without a word. */
    private static Float score(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            float score = Float.parseFloat(text.strip());
            if (score >= 0f && score <= 1f) {
                return score;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(Response.Status.BAD_REQUEST, "minScore must be a number between 0 and 1, was '" + text + "'");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
