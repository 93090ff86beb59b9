package io.clipstream.cli.checkpoints;

import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The checkpoints topic read from the beginning to its current end: the latest announcement per model version
 * (the topic is compacted by version, so an older announcement of a version may still be there until compaction,
 * and a tombstone removes the version).
 *
 * @param checkpoints the latest announcement of every version, by version
 * @param unreadable records whose value is not a readable {@link Checkpoint}, as "partition/offset: why"
 */
public record CheckpointLog(Map<String, Checkpoint> checkpoints, List<String> unreadable) {

    /** Versions oldest first: numeric versions by value, then others by name (the artifact store's order). */
    public static final Comparator<String> VERSION_ORDER = Comparator
            .comparing((String v) -> !v.chars().allMatch(Character::isDigit))
            .thenComparing(v -> v.chars().allMatch(Character::isDigit) ? v.length() : 0)
            .thenComparing(Comparator.naturalOrder());

    /** Reads {@code topic} with its own unassigned consumer (no group, nothing committed). */
    public static CheckpointLog read(KafkaClientSettings kafka, String topic, Duration timeout) {
        return read(kafka, topic, timeout, timeout);
    }

    /**
     * As {@link #read(KafkaClientSettings, String, Duration)}, giving up after {@code connectTimeout} when the broker does not
     * answer at all (an {@link IllegalStateException} saying so, as for a topic that is not read in time).
     */
    public static CheckpointLog read(KafkaClientSettings kafka, String topic, Duration connectTimeout, Duration timeout) {
        try {
            return readOrTimeOut(kafka, topic, connectTimeout, timeout);
        } catch (TimeoutException e) {
            throw new IllegalStateException(KafkaOptions.unreachable(kafka.bootstrapServers(), connectTimeout, topic)
                    .getMessage(), e);
        } catch (AuthenticationException | AuthorizationException e) {
            throw new IllegalStateException(KafkaOptions.refused(kafka.bootstrapServers(), e).getMessage(), e);
        }
    }

    private static CheckpointLog readOrTimeOut(KafkaClientSettings kafka, String topic, Duration connectTimeout,
            Duration timeout) {
        Properties props = kafka.properties();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "clipstream-cli-checkpoints");
        AvroSerde<Checkpoint> serde = AvroSerde.of(Checkpoint.class);
        Map<String, Checkpoint> latest = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, connectTimeout);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("Topic " + topic + " does not exist on " + kafka.bootstrapServers());
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                        continue;
                    }
                    try {
                        Checkpoint checkpoint = serde.decode(record.value());
                        latest.remove(checkpoint.getVersion()); // re-insert: order of the latest announcement
                        latest.put(checkpoint.getVersion(), checkpoint);
                    } catch (RecordDecodingException e) {
                        unreadable.add(record.partition() + "/" + record.offset() + ": " + e.getMessage());
                    }
                }
            }
        }
        return new CheckpointLog(latest, unreadable);
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Every checkpoint, oldest version first. */
    public List<Checkpoint> ordered() {
        return checkpoints.values().stream()
                .sorted(Comparator.comparing(Checkpoint::getVersion, VERSION_ORDER)).toList();
    }

    public Optional<Checkpoint> find(String version) {
        return Optional.ofNullable(checkpoints.get(version));
    }

    /**
     * The version and its ancestors, newest first, as far as the log knows them. Stops at a parent that is not
     * announced (or at a cycle, which only a hand-written record could make).
     */
    public List<String> lineage(String version) {
        List<String> chain = new ArrayList<>();
        String current = version;
        while (current != null && !chain.contains(current)) {
            chain.add(current);
            Checkpoint checkpoint = checkpoints.get(current);
            current = checkpoint == null ? null : checkpoint.getParent();
        }
        return chain;
    }
}
