package io.clipstream.schemas;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How a service's consumers take part in their group ({@code clipstream.kafka.group-instance-id}, env
 * {@code CLIPSTREAM_KAFKA_GROUP_INSTANCE_ID}): with an instance id the membership is static ({@code group.instance.id},
 * KIP-345), so a replica that restarts under the same id gets its partitions back at once, with no rebalance and no
 * wait for its old session; without one, membership is dynamic as before.
 *
 * <p>The session timeout is chosen for recovery, not left at Kafka's 45 s: a member that stays dead is detected and
 * its partitions move to the others within {@link #SESSION_TIMEOUT_MS} (10 s, the goal for the longest gap
 * after a kill). With dynamic membership a restarted member waits for the dead one's session too, so the same bound
 * holds there. It is not lower because a static member that is restarting (JVM and model start, 3–6 s here) must not
 * be declared dead and trigger the very rebalance static membership avoids; brokers refuse anything under their
 * {@code group.min.session.timeout.ms} (6 s by default). Heartbeats every {@link #HEARTBEAT_INTERVAL_MS}, a third of
 * the session as Kafka advises, so two lost heartbeats do not end a live session.
 *
 * <p>Kafka Streams services (ingest, classifier) set the same values through their {@code kafka-streams.*}
 * properties; Streams appends the thread index to the instance id itself.
 */
public record GroupMembership(Optional<String> instanceId) {

    public static final int SESSION_TIMEOUT_MS = 10_000;
    public static final int HEARTBEAT_INTERVAL_MS = 3_000;

    public static final GroupMembership DYNAMIC = new GroupMembership(Optional.empty());

    public GroupMembership {
        instanceId = instanceId.map(String::strip).filter(id -> !id.isEmpty());
    }

    public static GroupMembership of(Optional<String> instanceId) {
        return new GroupMembership(instanceId);
    }

    public boolean isStatic() {
        return instanceId.isPresent();
    }

    /**
     * The consumer settings of this membership for a consumer named {@code consumer} within the service (a service
     * with several consumers in groups gives each its own instance id: one id may be held by one member only).
     */
    public Map<String, Object> consumerConfig(String consumer) {
        Map<String, Object> config = new TreeMap<>();
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
        instanceId.ifPresent(id -> config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id + "-" + consumer));
        return config;
    }

    @Override
    public String toString() {
        return instanceId.map(id -> "static (" + id + ")").orElse("dynamic");
    }
}
