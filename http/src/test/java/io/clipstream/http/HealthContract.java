package io.clipstream.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every service answers on {@code /q/health} and {@code /q/metrics}: a {@code @QuarkusTest} of the service
 * implements this, next to the real broker.
 */
public interface HealthContract {

    /** The readiness checks the service reports; Kafka's by default. */
    default List<String> readinessChecks() {
        return List.of("Kafka connection health check");
    }

    /** Brings the service to ready where it needs more than a broker (the embedder: a rolled-out checkpoint). */
    default void becomeReady() throws Exception {
    }

    /**
     * Waits up to a minute for {@code /q/health/ready} to answer 200: a service in a consumer group is ready only
     * once its group has handed it partitions (GroupJoined).
     */
    static void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (given().get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @Test
    default void isReadyWithTheRealBroker() throws Exception {
        becomeReady();
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems(readinessChecks().toArray(String[]::new)));
    }

    @Test
    default void servesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }
}
