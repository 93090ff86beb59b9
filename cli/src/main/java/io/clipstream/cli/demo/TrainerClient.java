package io.clipstream.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/** The trainer's HTTP status ({@code GET /trainer/status}): how far training has come. */
final class TrainerClient {

    /** @param loss the latest training loss, when the trainer has one */
    record Status(long step, Double loss) {
    }

    private final JsonHttp http;
    private final URI statusUri;

    TrainerClient(JsonHttp http, String baseUrl) {
        this.http = http;
        this.statusUri = URI.create(baseUrl + ServiceWiring.TRAINER_STATUS_PATH);
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
