package io.clipstream.embedder.runtime;

import io.clipstream.embedder.EmbedderConfig;
import io.clipstream.http.health.KafkaAccessHealthCheck;
import io.clipstream.schemas.ServiceAccess;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the embedder's Kafka principal lacks an ACL it needs (ServiceAccess, with the configured
 * group): the check names which.
 */
@Readiness
@Singleton
public class KafkaAccessReadiness extends KafkaAccessHealthCheck {

    public KafkaAccessReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafka, EmbedderConfig config) {
        super(ServiceAccess.of(ServiceAccess.EMBEDDER).withGroups(List.of(config.groupId())), kafka);
    }
}
