package io.clipstream.search.health;

import io.clipstream.schemas.KafkaAccessCheck;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.search.SearchConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while search's Kafka principal lacks an ACL it needs (ServiceAccess): the check names which. */
@Readiness
@ApplicationScoped
public class KafkaAccessReadiness implements HealthCheck {

    private final KafkaAccessCheck check;

    public KafkaAccessReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafka, SearchConfig config) {
        this.check = new KafkaAccessCheck(ServiceAccess.of(ServiceAccess.SEARCH).withGroups(List.of(config.groupId())),
                KafkaClientSettings.of(kafka), Duration.ofSeconds(10));
    }

    @Override
    public HealthCheckResponse call() {
        List<String> problems = check.problems();
        return HealthCheckResponse.named("Kafka access").status(problems.isEmpty())
                .withData("problems", String.join("; ", problems)).build();
    }

    @PreDestroy
    void close() {
        check.close();
    }
}
