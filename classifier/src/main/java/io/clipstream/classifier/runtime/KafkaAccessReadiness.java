package io.clipstream.classifier.runtime;

import io.clipstream.http.health.KafkaAccessHealthCheck;
import io.clipstream.schemas.ServiceAccess;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the classifier's Kafka principal lacks an ACL it needs (ServiceAccess): the check names which. */
@Readiness
@Singleton
public class KafkaAccessReadiness extends KafkaAccessHealthCheck {

    public KafkaAccessReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        super(ServiceAccess.of(ServiceAccess.CLASSIFIER), kafka);
    }
}
