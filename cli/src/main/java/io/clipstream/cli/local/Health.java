package io.clipstream.cli.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a Quarkus service's readiness ({@code /q/health/ready}) or liveness ({@code /q/health/live}). */
final class Health {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Health() {
    }

    /** The answer: UP, DOWN with the body, or UNREACHABLE. */
    record Status(boolean up, String summary) {
    }

    static Status ready(LocalService service) {
        return check(service, "/q/health/ready");
    }

    /** Liveness ({@code /q/health/live}): the process serves HTTP, whether or not it can work yet. */
    static Status live(LocalService service) {
        return check(service, "/q/health/live");
    }

    private static Status check(LocalService service, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create(service.baseUrl() + path)).timeout(Duration.ofSeconds(5)).build(),
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
