package io.clipstream.cli.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clipstream.cli.CliRun;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clipstream search} against a stand-in for the search service's HTTP API: what it sends, what it prints, and
 * that the service's error messages reach the user. (The API itself is tested in the search module.)
 */
class SearchCommandTest {

    private record Request(String method, String path, String query, int bodyBytes, String authorization) {
    }

    private final List<Request> requests = new ArrayList<>();
    private HttpServer server;
    private int status = 200;
    private String answer = "{\"modelVersion\": \"7\", \"k\": 2, \"tookMs\": 3.25, \"results\": ["
            + "{\"imageId\": \"car-1\", \"score\": 0.3125, \"attributes\": {\"camera\": \"7\"}},"
            + "{\"imageId\": \"car-2\", \"score\": 0.25, \"attributes\": {}}]}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8),
                exchange.getRequestBody().readAllBytes().length, exchange.getRequestHeaders().getFirst("Authorization")));
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void searchesByTextAndPrintsTheImagesBestFirst() {
        CliRun.Result run = CliRun.run("search", "a red car", "-k", "2", "--version", "7", "-f", "camera=7",
                "--url", url(), "--token", "secret");
        assertEquals(0, run.code(), run.toString());
        Request request = requests.get(0);
        assertEquals("GET", request.method());
        assertEquals("/search", request.path());
        assertEquals("text=a red car&k=2&version=7&filter=camera:7", request.query());
        assertEquals("Bearer secret", request.authorization());
        assertTrue(run.out().contains("2 image(s), model version 7, 3.3 ms"), run.toString());
        assertTrue(run.out().contains("  1  0.3125  car-1  camera=7"), run.toString());
        assertTrue(run.out().contains("  2  0.2500  car-2"), run.toString());
    }

    @Test
    void searchesByImage(@TempDir Path folder) throws IOException {
        Path image = folder.resolve("query.png");
        Files.write(image, new byte[] {1, 2, 3, 4});
        CliRun.Result run = CliRun.run("search", "--image", image.toString(), "--url", url(), "--token", "t", "--json");
        assertEquals(0, run.code(), run.toString());
        assertEquals("POST", requests.get(0).method());
        assertEquals("/search/image", requests.get(0).path());
        assertEquals(4, requests.get(0).bodyBytes());
        assertTrue(run.out().contains("\"imageId\": \"car-1\""), "--json prints the answer as it came: " + run);
    }

    @Test
    void theServicesErrorReachesTheUserInOneLine() {
        status = 404;
        answer = "{\"error\": \"no embeddings of model version 9 are indexed\"}";
        CliRun.run("search", "a cat", "--version", "9", "--url", url(), "--token", "t")
                .failsWithOneLine("HTTP 404: no embeddings of model version 9 are indexed");
    }

    @Test
    void needsATextOrAnImageAndAServiceThatAnswers() {
        CliRun.run("search", "--url", url()).failsWithOneLine("give a TEXT to find, or --image FILE");
        server.stop(0);
        CliRun.run("search", "a cat", "--url", url(), "--token", "t").failsWithOneLine("cannot reach the search service");
    }
}
