package io.clipstream.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The error answers Vert.x gives before any resource is chosen, as {@code {"error": "..."}}: a body declared larger
 * than {@code quarkus.http.limits.max-body-size} (Quarkus answers it with an empty 413), and a path no route serves.
 */
@ApplicationScoped
public class ErrorRoutes {

    static final String MAX_BODY_SIZE = "quarkus.http.limits.max-body-size";

    void install(@Observes Router router, @ConfigProperty(name = MAX_BODY_SIZE) Optional<MemorySize> maxBodySize) {
        // Just ahead of Quarkus's own check, which this one mirrors (on Content-Length, closing the connection).
        maxBodySize.ifPresent(limit -> router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(ctx -> refuseLargerThan(ctx, limit.asLongValue())));
        router.route().last().handler(ErrorRoutes::notFound);
    }

    private static void refuseLargerThan(RoutingContext ctx, long limit) {
        String length = ctx.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && parse(length) > limit) {
            ctx.response().putHeader(HttpHeaderNames.CONNECTION, "close")
                    .endHandler(ignored -> ctx.request().connection().close());
            answer(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the body of " + length + " bytes is larger than "
                    + "the " + limit + " bytes this service takes (" + MAX_BODY_SIZE + ")");
            return;
        }
        ctx.next();
    }

    private static void notFound(RoutingContext ctx) {
        answer(ctx, HttpResponseStatus.NOT_FOUND, "no resource at " + ctx.request().method() + " " + ctx.request().path());
    }

    private static void answer(RoutingContext ctx, HttpResponseStatus status, String message) {
        ctx.response().setStatusCode(status.code()).putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", message).encode());
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // not ours to judge: Vert.x answers a malformed Content-Length itself
        }
    }
}
