package io.clipstream.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over HTTP to a local service, with the run's bearer token; anything but a 2xx answer is a {@link DemoFailure}
 * that quotes the answer.
 */
final class JsonHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String token;

    /** @param token the bearer token sent with every request */
    JsonHttp(String token) {
        this.token = token;
    }

    /** The bearer token, for a call made through another client of the run. */
    String token() {
        return token;
    }

    JsonNode get(URI uri) {
        return jsonBody(send(authorized(uri).GET().build()), uri);
    }

    /** A POST without a body (an action such as pause), its answer read as JSON. */
    JsonNode post(URI uri) {
        return jsonBody(send(authorized(uri).POST(HttpRequest.BodyPublishers.noBody())
                .build()), uri);
    }

    void put(URI uri, Object body) {
        try {
            send(authorized(uri).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write JSON: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest request) {
        String what = request.method() + " " + request.uri();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DemoFailure(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("Interrupted during " + what, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new DemoFailure(what + " answered " + response.statusCode() + ": "
                    + response.body().strip().replaceAll("\\s+", " "));
        }
        return response;
    }

    private static JsonNode jsonBody(HttpResponse<String> response, URI uri) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DemoFailure(response.request().method() + " " + uri + " did not answer JSON: "
                    + response.body(), e);
        }
    }
}
