package io.clipstream.classifier.runtime;

import io.clipstream.classifier.stream.ClassificationFeed;
import io.clipstream.classifier.stream.FeedHealth;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the live feed: DOWN, with the reason, while its consumer fails (it is being restarted), so that
 * subscribers are sent to a replica whose feed works instead of a stream that stays silent.
 */
@Readiness
@ApplicationScoped
public class ClassificationFeedHealth implements HealthCheck {

    private final ClassificationFeed feed;

    public ClassificationFeedHealth(ClassificationFeed feed) {
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        FeedHealth health = feed.health();
        HealthCheckResponseBuilder answer = HealthCheckResponse.named("classification feed").status(health.up())
                .withData("restarts", health.restarts());
        if (!health.up()) {
            answer.withData("reason", health.reason());
            if (health.failingSince() != null) {
                answer.withData("failingSince", health.failingSince().toString());
            }
        }
        return answer.build();
    }
}
