package io.clipstream.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/** The trainer over HTTP: how far training has come ({@code GET /trainer/status}), and pausing it. */
final class TrainerClient {

    /** @param loss the latest training loss, when the trainer has one */
    record Status(long step, Double loss) {
    }

    private final JsonHttp http;
    private final URI statusUri;
    private final URI pauseUri;

    TrainerClient(JsonHttp http, String baseUrl) {
        this.http = http;
        this.statusUri = URI.create(baseUrl + ServiceWiring.TRAINER_STATUS_PATH);
        this.pauseUri = URI.create(baseUrl + ServiceWiring.TRAINER_PAUSE_PATH);
    }

    /** Pauses training after the step in progress. */
    void pause() {
        http.post(pauseUri);
    }

    Status status() {
        JsonNode body = http.get(statusUri);
        if (!body.path("step").canConvertToLong()) {
            throw new DemoFailure("GET " + statusUri + " gave no step: " + body);
        }
        JsonNode loss = body.path("loss");
        return new Status(body.get("step").asLong(),
                loss.isNumber() && Double.isFinite(loss.asDouble()) ? loss.asDouble() : null);
    }
}
