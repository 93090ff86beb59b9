package io.clipstream.ingest.stream;

import io.clipstream.schemas.GroupJoined;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once this instance has been RUNNING since start (its group handed it its tasks and their state stores are
 * restored), and through later rebalances: see GroupJoined.
 */
@Readiness
@ApplicationScoped
public class GroupReadiness implements HealthCheck {

    private final KafkaStreams streams;
    private final GroupJoined group = new GroupJoined();

    public GroupReadiness(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        boolean up = group.observe(state == KafkaStreams.State.RUNNING) && state.isRunningOrRebalancing();
        return HealthCheckResponse.named(GroupJoined.CHECK_NAME).status(up).withData("state", state.name()).build();
    }
}
