package io.clipstream.http.health;

import io.clipstream.schemas.KafkaAccessCheck;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.ServiceAccess;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * "Kafka access": DOWN while the service's Kafka principal lacks an ACL it needs ({@link ServiceAccess}), naming
 * which. Each service's readiness bean extends this with its own access; the check itself is written once. The
 * beans are {@code @Singleton}: a client proxy (normal scope) would need a no-argument constructor.
 */
public abstract class KafkaAccessHealthCheck implements HealthCheck {

    public static final String CHECK_NAME = "Kafka access";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaAccessCheck check;

    /**
     * @param access what the service reads, writes and joins
     * @param kafka  the service's Kafka client settings (Quarkus' {@code default-kafka-broker})
     */
    protected KafkaAccessHealthCheck(ServiceAccess access, Map<String, Object> kafka) {
        this.check = new KafkaAccessCheck(access, KafkaClientSettings.of(kafka), TIMEOUT);
    }

    @Override
    public HealthCheckResponse call() {
        List<String> problems = check.problems();
        return HealthCheckResponse.named(CHECK_NAME).status(problems.isEmpty())
                .withData("problems", String.join("; ", problems)).build();
    }

    @PreDestroy
    protected void close() {
        check.close();
    }
}
