package io.clipstream.search.runtime;

import io.clipstream.http.health.KafkaAccessHealthCheck;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.search.SearchConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the search's Kafka principal lacks an ACL it needs (ServiceAccess, with the configured
 * group): the check names which.
 */
@Readiness
@Singleton
public class KafkaAccessReadiness extends KafkaAccessHealthCheck {

    public KafkaAccessReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafka, SearchConfig config) {
        super(ServiceAccess.of(ServiceAccess.SEARCH).withGroups(List.of(config.groupId())), kafka);
    }
}
