package io.clipstream.broker;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: the JVM's secured in-process broker ({@link SecuredKafka}), the service logging in as the
 * user named by the init argument {@code user} (a service's name; a wrong one tests a service with another's
 * credentials).
 */
public class SecuredKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private String user;

    @Override
    public void init(Map<String, String> initArgs) {
        user = initArgs.get("user");
        if (user == null) {
            throw new IllegalArgumentException("SecuredKafkaTestResource needs the init argument user");
        }
    }

    @Override
    public Map<String, String> start() {
        return SecuredKafka.shared().serviceConfig(user);
    }

    @Override
    public void stop() {
        // The broker outlives each application restart; a JVM shutdown hook stops it.
    }
}
