package io.clipstream.broker;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: a real in-process KRaft broker, one per test JVM, with the catalog's topics.
 * Use with {@code @QuarkusTestResource(KafkaBrokerTestResource.class)}.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return EmbeddedKafka.shared().clientConfig();
    }

    @Override
    public void stop() {
        // The broker outlives each application restart; a JVM shutdown hook stops it.
    }
}
