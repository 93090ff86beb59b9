package io.clipstream.trainer.stream;

import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.Topics;
import io.clipstream.trainer.data.PairSource;
import io.clipstream.trainer.data.SourcePositions;
import io.clipstream.trainer.data.SourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The pairs topic through a consumer with MANUAL assignment of every partition: the trainer seeks to the offsets of
 * the checkpoint it resumes from, so neither a group's committed offsets nor a rebalance can make it skip or repeat
 * a pair. (There is one trainer; a StatefulSet of one replica keeps it so.)
 */
public final class KafkaPairSource implements PairSource {

    private static final Logger LOG = Logger.getLogger(KafkaPairSource.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final boolean startAtEnd;
    private final List<TopicPartition> partitions;
    private volatile OptionalLong lag = OptionalLong.empty();

    /**
     * @param startFrom where a partition without a stored position starts: {@code earliest} or {@code latest}
     */
    public KafkaPairSource(KafkaClientSettings kafka, String topic, String startFrom, String clientId) {
        if (!startFrom.equals("earliest") && !startFrom.equals("latest")) {
            throw new IllegalArgumentException("start-from must be earliest or latest, was " + startFrom);
        }
        Map<String, Object> props = kafka.clientConfig();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only when a stored offset has been deleted by retention: read on from the oldest pair that is left.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // ingest writes exactly once
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 256);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.startAtEnd = startFrom.equals("latest");
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("Topic " + topic + " does not exist on " + kafka.bootstrapServers());
        }
        this.partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
    }

    @Override
    public void seek(SourcePositions positions) {
        if (!positions.topic().equals(topic)) {
            throw new IllegalArgumentException("Positions of " + positions.topic() + " cannot seek " + topic);
        }
        List<TopicPartition> unnamed = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OptionalLong next = positions.nextOffset(partition.partition());
            if (next.isPresent()) {
                consumer.seek(partition, next.getAsLong());
            } else {
                unnamed.add(partition);
            }
        }
        // Never with an empty list: the consumer reads "no partitions" as ALL assigned partitions and would throw away
        // the seeks above (a resume that names every partition re-read the topic from its start: fault suite, trainer-kill).
        if (!unnamed.isEmpty() && startAtEnd) {
            consumer.seekToEnd(unnamed);
        } else if (!unnamed.isEmpty()) {
            consumer.seekToBeginning(unnamed);
        }
        LOG.infof("Reading %s from %s (partitions not named there: %s)", topic, positions.next(),
                startAtEnd ? "latest" : "earliest");
    }

    @Override
    public List<SourceRecord> poll(Duration timeout) {
        List<SourceRecord> records = new ArrayList<>();
        try {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
                records.add(new SourceRecord(record.partition(), record.offset(), record.value()));
            }
        } catch (WakeupException e) {
            return records;
        }
        lag = currentLag();
        return records;
    }

    /** From the fetch metadata of the last poll: no request to the broker. */
    private OptionalLong currentLag() {
        long total = 0;
        for (TopicPartition partition : partitions) {
            OptionalLong behind = consumer.currentLag(partition);
            if (behind.isEmpty()) {
                return OptionalLong.empty();
            }
            total += behind.getAsLong();
        }
        return OptionalLong.of(total);
    }

    @Override
    public OptionalLong lag() {
        return lag;
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
