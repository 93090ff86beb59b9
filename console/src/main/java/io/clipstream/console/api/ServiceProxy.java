package io.clipstream.console.api;

import io.clipstream.console.ConsoleConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * {@code /api/<service>/<path>} → {@code <service's URL>/<path>}: the pages reach the services through the console's
 * own origin. So the services need no CORS (a browser origin allowed to send bearer tokens to every service), the
 * browser needs one address, and in Kubernetes only the console is exposed. Bodies stream both ways (Vert.x pipes,
 * with back-pressure): an upload is not held in memory, and the classifier's server-sent events pass one by one. The
 * bearer token is forwarded as the browser sent it; the console checks none itself, each service does.
 */
@ApplicationScoped
public class ServiceProxy {

    private static final Logger LOG = Logger.getLogger(ServiceProxy.class);

    public static final String PREFIX = "/api/";

    /** What passes to the service: what the APIs read. Cookies and the browser's other headers stay behind. */
    static final Set<String> REQUEST_HEADERS = Set.of("authorization", "content-type", "content-length", "accept",
            "if-match", "last-event-id");
    /** What passes back; hop-by-hop headers never do. */
    static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "content-length", "etag", "retry-after",
            "www-authenticate", "cache-control", "location");

    private final Map<String, URI> services = new TreeMap<>();
    private final ConsoleConfig config;
    private HttpClient client;

    public ServiceProxy(ConsoleConfig config) {
        this.config = config;
        config.services().forEach((name, url) -> services.put(name, parse(name, url)));
    }

    /** The configured services by name, for {@code GET /console/services}. */
    public Map<String, URI> services() {
        return Map.copyOf(services);
    }

    void routes(@Observes Router router, Vertx vertx) {
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .setIdleTimeout((int) config.idleTimeout().toSeconds())
                .setMaxPoolSize(64);
        client = vertx.createHttpClient(options);
        router.route(PREFIX + "*").order(-10).handler(context -> {
            try {
                forward(context);
            } catch (RuntimeException e) {
                LOG.warnf("console proxy: %s %s failed: %s", context.request().method(), context.request().path(), e);
                if (!context.response().headWritten()) {
                    error(context.response(), 500, "the console could not forward this request: " + e.getMessage());
                }
            }
        });
        LOG.infof("console proxy: %s", services);
    }

    void stop(@Observes ShutdownEvent event) {
        if (client != null) {
            client.close();
        }
    }

    private void forward(RoutingContext context) {
        HttpServerRequest in = context.request();
        String rest = in.path().substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        URI target = services.get(name);
        if (target == null) {
            error(in.response(), 404, "no service '" + name + "' behind this console; it knows " + services.keySet()
                    + " (clipstream.console.services.<name>)");
            return;
        }
        String path = slash < 0 ? "/" : rest.substring(slash);
        if (path.contains("/../") || path.endsWith("/..")) {
            error(in.response(), 400, "the path may not climb out of the service: " + path);
            return;
        }
        String query = in.query();
        String uri = target.getRawPath().replaceAll("/$", "") + path + (query == null ? "" : "?" + query);
        in.pause();
        MultiMap passed = MultiMap.caseInsensitiveMultiMap();
        copy(in.headers(), REQUEST_HEADERS, passed);
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(target.getHost())
                .setPort(port(target)).setURI(uri).setHeaders(passed);
        client.request(options).onComplete(requested -> {
            if (requested.failed()) {
                in.resume();
                unreachable(in.response(), name, target, requested.cause());
                return;
            }
            HttpClientRequest out = requested.result();
            // The browser went away (a closed stream, a reload): the service's side is let go too.
            in.response().closeHandler(closed -> out.reset());
            out.response().onComplete(answered -> {
                if (answered.failed()) {
                    unreachable(in.response(), name, target, answered.cause());
                    return;
                }
                HttpClientResponse back = answered.result();
                HttpServerResponse response = in.response().setStatusCode(back.statusCode());
                copy(back.headers(), RESPONSE_HEADERS, response.headers());
                if (!back.headers().contains("content-length")) {
                    response.setChunked(true);
                }
                if (back.headers().get("content-type") != null
                        && back.headers().get("content-type").startsWith("text/event-stream")) {
                    // Sent on at once: the page shows each event as it comes, and knows it is connected before
                    // the first one (Vert.x would otherwise hold the head back until the first event's bytes).
                    response.headers().set("X-Accel-Buffering", "no");
                    response.writeHead();
                }
                back.pipeTo(response);
            });
            boolean chunked = "chunked".equalsIgnoreCase(in.getHeader("transfer-encoding"));
            in.resume();
            if (chunked || in.headers().contains("content-length")) {
                out.setChunked(chunked);
                in.pipeTo(out).onFailure(e -> out.reset());
            } else {
                out.end(); // no body (a GET, a DELETE)
            }
        });
    }

    private static void copy(MultiMap from, Set<String> names, MultiMap to) {
        from.forEach(entry -> {
            if (names.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                to.add(entry.getKey(), entry.getValue());
            }
        });
    }

    private static void unreachable(HttpServerResponse response, String name, URI target, Throwable cause) {
        if (response.headWritten() || response.closed()) {
            response.reset();
            return;
        }
        error(response, 502, "the " + name + " service at " + target + " cannot be reached: "
                + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
    }

    static void error(HttpServerResponse response, int status, String message) {
        response.setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static URI parse(String name, String url) {
        URI uri = URI.create(url.strip());
        if (!List.of("http").contains(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("clipstream.console.services." + name + " must be an http:// URL with a "
                    + "host, was '" + url + "'");
        }
        return uri;
    }
}
