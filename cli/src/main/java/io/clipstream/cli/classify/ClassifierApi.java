package io.clipstream.cli.classify;

import io.clipstream.cli.ServiceErrors;
import io.clipstream.cli.local.OperatorToken;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The classifier's label-set HTTP API as the CLI uses it: requests go through the service, so its validation applies
 * and its answers (a label set, or {@code {"error": ...}}) come back as they are. The one client of that API in the CLI:
 * {@code label-sets} and the demo both call it.
 */
public final class ClassifierApi {

    /** An answer: the status and the body (JSON, or empty). */
    public record Answer(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The service could not be reached or answered with an error; the message is for people. */
    public static final class ApiFailure extends Exception {
        ApiFailure(String message) {
            super(message);
        }
    }

    private final URI base;
    private final Optional<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token the bearer token sent with every request, if any */
    public ClassifierApi(String baseUrl, Optional<String> token) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.token = token;
    }

    public Answer put(String id, String json) throws ApiFailure {
        return send(HttpRequest.newBuilder(labelSet(id)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer get(String id) throws ApiFailure {
        return send(HttpRequest.newBuilder(labelSet(id)).GET());
    }

    Answer list() throws ApiFailure {
        return send(HttpRequest.newBuilder(base.resolve("label-sets")).GET());
    }

    Answer delete(String id) throws ApiFailure {
        return send(HttpRequest.newBuilder(labelSet(id)).DELETE());
    }

    private URI labelSet(String id) {
        return base.resolve("label-sets/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private Answer send(HttpRequest.Builder request) throws ApiFailure {
        request.timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        token.ifPresent(bearer -> request.header("Authorization", "Bearer " + bearer));
        HttpRequest built = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ApiFailure("cannot reach the classifier at " + base + " (is it running? --url sets where)");
        } catch (IOException e) {
            throw new ApiFailure("the classifier at " + base + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiFailure("interrupted");
        }
        Answer answer = new Answer(response.statusCode(), response.body());
        if (!answer.ok()) {
            String hint = answer.status() == 401 && token.isEmpty() ? " (no token was sent: " + OperatorToken.SOURCES
                    + ")" : answer.status() == 403 ? " (this needs an operator token)" : "";
            throw new ApiFailure(built.method() + " " + built.uri().getPath() + ": HTTP " + answer.status() + ": "
                    + ServiceErrors.message(answer.body()) + hint);
        }
        return answer;
    }
}
