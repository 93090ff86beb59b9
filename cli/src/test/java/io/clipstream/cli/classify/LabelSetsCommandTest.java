package io.clipstream.cli.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clipstream.cli.Clipstream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The label-set commands against a stand-in for the classifier's HTTP API: what they send, what they print, and
 * that the service's error messages reach the user. (The API itself is tested in the classifier module.)
 */
class LabelSetsCommandTest {

    private record Request(String method, String path, String body, String authorization) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final List<Request> requests = new ArrayList<>();
    private HttpServer server;
    private int status = 200;
    private String answer = "{}";

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
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                exchange.getRequestHeaders().getFirst("Authorization")));
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : body.length);
        if (status != 204) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Clipstream.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void putFromOptionsSendsTheLabelSetAsJsonAndPrintsTheAnswer() throws Exception {
        status = 201;
        answer = "{\"id\": \"pets\", \"revision\": 1}";
        Run run = run("label-sets", "put", "--id", "pets", "--labels", "cat, dog,sports car", "--template", "a photo of a {}.",
                "--template", "a drawing of a {}.", "--top-k", "2", "--min-probability", "0.1", "--filter", "camera=7",
                "--url", url());
        assertEquals(0, run.code(), run.err());
        assertEquals(1, requests.size());
        assertEquals("PUT", requests.get(0).method());
        assertEquals("/label-sets/pets", requests.get(0).path());
        JsonNode sent = json.readTree(requests.get(0).body());
        assertEquals(json.readTree("""
                {"labels": ["cat", "dog", "sports car"], "templates": ["a photo of a {}.", "a drawing of a {}."],
                 "topK": 2, "minProbability": 0.1, "attributeFilter": {"camera": "7"}, "id": "pets"}"""), sent);
        assertTrue(run.out().contains("\"revision\" : 1"), run.out());
    }

    @Test
    void putFromAFileTakesItsIdAndShowsTheServicesRefusal(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pets.json");
        Files.writeString(file, "{\"id\": \"pets\", \"labels\": [\"cat\", \"cat\"]}");
        status = 400;
        answer = "{\"error\": \"duplicate labels (names are compared ignoring case): cat\"}";
        Run run = run("label-sets", "put", file.toString(), "--url", url());
        assertEquals(1, run.code());
        assertEquals("/label-sets/pets", requests.get(0).path());
        assertTrue(run.err().contains("HTTP 400: duplicate labels"), run.err());
    }

    @Test
    void sendsTheTokenOfTokenAsABearerToken() {
        status = 201;
        answer = "{\"id\": \"pets\", \"revision\": 1}";
        Run run = run("label-sets", "put", "--id", "pets", "--labels", "cat", "--url", url(), "--token", "s3cret");
        assertEquals(0, run.code(), run.err());
        assertEquals("Bearer s3cret", requests.get(0).authorization());
    }

    @Test
    void aRefusalSaysWhichTokenIsNeededAndWhereTokensComeFrom() {
        status = 403;
        answer = "{\"error\": \"PUT /label-sets/pets needs the role operator; this token has the role client\"}";
        Run forbidden = run("label-sets", "put", "--id", "pets", "--labels", "cat", "--url", url(), "--token", "c");
        assertEquals(1, forbidden.code());
        assertTrue(forbidden.err().contains("HTTP 403: PUT /label-sets/pets needs the role operator"), forbidden.err());
        assertTrue(forbidden.err().contains("needs an operator token"), forbidden.err());

        status = 401;
        answer = "{\"error\": \"GET /label-sets needs a bearer token: send Authorization: Bearer <token>\"}";
        Run unauthorized = run("label-sets", "list", "--url", url(), "--token", "wrong");
        assertEquals(1, unauthorized.code());
        assertTrue(unauthorized.err().contains("HTTP 401: GET /label-sets needs a bearer token"), unauthorized.err());
    }

    @Test
    void putWantsEitherAFileOrLabelsAndAnId() {
        assertEquals(2, run("label-sets", "put", "--url", url()).code());
        Run noId = run("label-sets", "put", "--labels", "cat", "--url", url());
        assertEquals(1, noId.code());
        assertTrue(noId.err().contains("needs an id"), noId.err());
        assertTrue(requests.isEmpty());
    }

    @Test
    void listPrintsATableGetPrintsJsonDeleteSaysSo() {
        answer = """
                [{"id": "pets", "revision": 3, "labels": [{"name": "cat"}, {"name": "dog"}], "topK": 1,
                  "enabled": true, "attributeFilter": {"camera": "7"}}]""";
        Run list = run("label-sets", "list", "--url", url());
        assertEquals(0, list.code(), list.err());
        String[] lines = list.out().split("\\R");
        assertTrue(lines[0].startsWith("ID") && lines[0].contains("REVISION"), list.out());
        assertTrue(lines[1].matches("pets\\s+3\\s+2\\s+1\\s+true\\s+\\{camera=7}"), lines[1]);

        answer = "{\"id\": \"pets\", \"revision\": 3}";
        assertTrue(run("label-sets", "get", "pets", "--url", url()).out().contains("\"id\" : \"pets\""));
        status = 204;
        Run delete = run("label-sets", "delete", "pets", "--url", url());
        assertEquals("deleted label set pets", delete.out().strip());
        assertEquals(List.of("GET /label-sets", "GET /label-sets/pets", "DELETE /label-sets/pets"),
                requests.stream().map(r -> r.method() + " " + r.path()).toList());

        status = 404;
        answer = "{\"error\": \"no label set 'gone'\"}";
        Run missing = run("label-sets", "get", "gone", "--url", url());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no label set 'gone'"), missing.err());
    }

    @Test
    void anUnreachableClassifierIsNamed() {
        stop();
        Run run = run("label-sets", "list", "--url", url());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("cannot reach the classifier at " + url()), run.err());
    }
}
