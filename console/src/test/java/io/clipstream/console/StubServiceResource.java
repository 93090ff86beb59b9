package io.clipstream.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in service behind the console (the JDK's HTTP server): it answers with what it received, and streams
 * server-sent events that go on until a test lets the stream end. A second name points at a port nobody listens on.
 */
public class StubServiceResource implements QuarkusTestResourceLifecycleManager {

    /** Counted down by a test once it has read the events: until then the stream stays open. */
    public static volatile CountDownLatch endStream = new CountDownLatch(1);

    /** Counted down by a test once the head of the quiet stream has come through. */
    public static volatile CountDownLatch endQuietStream = new CountDownLatch(1);
    /** Whether the quiet stream still waits for {@link #endQuietStream}. */
    public static volatile boolean quietStreamOpen;

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", StubServiceResource::echo);
            server.createContext("/classifications/stream", StubServiceResource::stream);
            server.createContext("/classifications/quiet", StubServiceResource::quiet);
            server.start();
            int closed;
            try (ServerSocket socket = new ServerSocket(0)) {
                closed = socket.getLocalPort();
            }
            return Map.of("clipstream.console.services.classifier", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "clipstream.console.services.trainer", "http://127.0.0.1:" + closed,
                    "clipstream.console.connect-timeout", "PT2S");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void echo(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String json = "{\"method\": \"" + exchange.getRequestMethod() + "\", \"uri\": \"" + exchange.getRequestURI()
                + "\", \"authorization\": \"" + header(exchange, "Authorization") + "\", \"cookie\": \""
                + header(exchange, "Cookie") + "\", \"contentType\": \"" + header(exchange, "Content-Type")
                + "\", \"ifMatch\": \"" + header(exchange, "If-Match") + "\", \"bodyBytes\": " + body.length + "}";
        byte[] answer = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("ETag", "\"7\"");
        exchange.getResponseHeaders().add("Set-Cookie", "stub=1");
        int status = exchange.getRequestURI().getPath().equals("/missing") ? 404 : 200;
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private static void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 1; i <= 2; i++) {
                out.write(("data:{\"imageId\": \"image-" + i + "\"}\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            endStream.await(30, TimeUnit.SECONDS);
            out.write("data:{\"imageId\": \"last\"}\n\n".getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the console let the stream go
        }
    }

    /** A stream with no event yet (the classifier's, before the first classification): the head and nothing more. */
    private static void quiet(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.flush();
            quietStreamOpen = true;
            endQuietStream.await(30, TimeUnit.SECONDS);
            quietStreamOpen = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the console let the stream go
        }
    }

    private static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value.replace("\"", "'");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
