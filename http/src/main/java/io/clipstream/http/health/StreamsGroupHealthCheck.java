package io.clipstream.http.health;

import io.clipstream.schemas.GroupJoined;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A Kafka Streams service is ready once this instance has been RUNNING since start (its group handed it its tasks
 * and their state stores are restored), and through later rebalances: see {@link GroupJoined}. The services on
 * Kafka Streams extend it as their readiness bean ({@code @Singleton}: a normal scope's proxy would need a
 * no-argument constructor).
 */
public abstract class StreamsGroupHealthCheck implements HealthCheck {

    private final KafkaStreams streams;
    private final GroupJoined group = new GroupJoined();

    protected StreamsGroupHealthCheck(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        boolean up = group.observe(state == KafkaStreams.State.RUNNING) && state.isRunningOrRebalancing();
        return HealthCheckResponse.named(GroupJoined.CHECK_NAME).status(up).withData("state", state.name()).build();
    }
}
