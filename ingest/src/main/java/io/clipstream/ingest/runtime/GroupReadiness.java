package io.clipstream.ingest.runtime;

import io.clipstream.http.health.StreamsGroupHealthCheck;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.Readiness;

/** Ready once this instance's Kafka Streams group has handed it its tasks (see StreamsGroupHealthCheck). */
@Readiness
@Singleton
public class GroupReadiness extends StreamsGroupHealthCheck {

    public GroupReadiness(KafkaStreams streams) {
        super(streams);
    }
}
