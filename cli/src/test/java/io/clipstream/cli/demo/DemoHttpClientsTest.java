package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's HTTP calls against a stand-in server that answers as the contracts say, and records the requests. */
class DemoHttpClientsTest {

    private HttpServer server;
    private final Map<String, String> requests = new ConcurrentHashMap<>();
    private final Map<String, Object[]> answers = new ConcurrentHashMap<>();
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
            requests.put(key, exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.put(key, String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            Object[] answer = answers.getOrDefault(key, new Object[] {404, "{\"error\":\"not found\"}"});
            byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders((Integer) answer[0], body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void everyCallSendsTheRunsOperatorToken() {
        answers.put("GET /trainer/status", new Object[] {200, "{\"step\": 1}"});
        answers.put("POST /trainer/pause", new Object[] {200, "{}"});
        answers.put("PUT /label-sets/demo", new Object[] {201, "{}"});
        JsonHttp http = new JsonHttp("run-token");
        new TrainerClient(http, baseUrl()).status();
        new TrainerClient(http, baseUrl()).pause();
        new ClassifierClient(http, baseUrl()).putLabelSet("demo", List.of("a"), List.of("{}"), 1);
        assertEquals(Map.of("GET /trainer/status", "Bearer run-token", "POST /trainer/pause", "Bearer run-token",
                "PUT /label-sets/demo", "Bearer run-token"), authorizations);
    }

    @Test
    void readsTheTrainersStepAndLoss() {
        TrainerClient trainer = new TrainerClient(new JsonHttp("test-token"), baseUrl());
        answers.put("GET /trainer/status", new Object[] {200, "{\"step\": 120, \"loss\": 3.25, \"other\": 1}"});
        assertEquals(new TrainerClient.Status(120, 3.25), trainer.status());

        answers.put("GET /trainer/status", new Object[] {200, "{\"step\": 0, \"loss\": null}"});
        assertNull(trainer.status().loss(), "no loss before the first step");

        answers.put("GET /trainer/status", new Object[] {200, "{\"phase\": \"tokenizer\"}"});
        assertTrue(assertThrows(DemoFailure.class, trainer::status).getMessage().contains("gave no step"));
    }

    @Test
    void pausesTheTrainer() {
        answers.put("POST /trainer/pause", new Object[] {200, "{\"state\": \"PAUSED\", \"step\": 400}"});
        new TrainerClient(new JsonHttp("test-token"), baseUrl()).pause();
        assertTrue(requests.containsKey("POST /trainer/pause"), requests.toString());
    }

    @Test
    void anAnswerOtherThan2xxFailsWithTheAnswer() {
        DemoFailure failure = assertThrows(DemoFailure.class,
                () -> new TrainerClient(new JsonHttp("test-token"), baseUrl()).status());
        assertTrue(failure.getMessage().contains("GET " + baseUrl() + "/trainer/status answered 404: "
                + "{\"error\":\"not found\"}"), failure.getMessage());
    }

    @Test
    void aServiceThatIsNotThereFailsLoudly() {
        String url = baseUrl();
        server.stop(0);
        DemoFailure failure = assertThrows(DemoFailure.class, () -> new TrainerClient(new JsonHttp("test-token"), url).status());
        assertTrue(failure.getMessage().startsWith("GET " + url + "/trainer/status failed"), failure.getMessage());
    }

    @Test
    void putsTheLabelSetAsTheClassifierTakesIt() throws IOException {
        answers.put("PUT /label-sets/demo", new Object[] {200, "{}"});
        new ClassifierClient(new JsonHttp("test-token"), baseUrl()).putLabelSet("demo", List.of("cockroach", "keycap: #"),
                List.of("an emoji of {}."), 5);
        String request = requests.get("PUT /label-sets/demo");
        assertTrue(request.startsWith("application/json "), request);
        assertEquals(Map.of("labels", List.of("cockroach", "keycap: #"), "templates", List.of("an emoji of {}."),
                "topK", 5), new ObjectMapper().readValue(request.substring(request.indexOf(' ') + 1), Map.class));
    }

    @Test
    void aLabelSetIdIsEscapedInThePath() {
        answers.put("PUT /label-sets/my%20set", new Object[] {201, ""});
        new ClassifierClient(new JsonHttp("test-token"), baseUrl()).putLabelSet("my set", List.of("a", "b"), List.of("{}"), 5);
        assertTrue(requests.containsKey("PUT /label-sets/my%20set"), requests.keySet().toString());
    }
}
