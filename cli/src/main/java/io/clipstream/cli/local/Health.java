package io.clipstream.cli.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a Quarkus service's readiness ({@code /q/health/ready}). */
final class Health {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Health() {
    }

    /** The readiness answer: UP, DOWN with the body, or UNREACHABLE. */
    record Status(boolean up, String summary) {
    }

    static Status ready(LocalService service) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create(service.baseUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean up = response.statusCode() == 200;
            return new Status(up, up ? "UP" : "DOWN " + response.body().replaceAll("\\s+", " "));
        } catch (IOException e) {
            return new Status(false, "UNREACHABLE");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status(false, "INTERRUPTED");
        }
    }
}
