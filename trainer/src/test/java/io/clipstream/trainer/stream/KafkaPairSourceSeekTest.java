package io.clipstream.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.trainer.TestTopics;
import io.clipstream.trainer.data.SourcePositions;
import io.clipstream.trainer.data.SourceRecord;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A resume reads on exactly from the checkpoint's positions, also when they name every partition (the consumer's
 * seekToBeginning of no partitions means all of them: it once threw the seeks away, and a killed trainer re-read the
 * topic from its start); a partition they do not name starts at the beginning.
 */
class KafkaPairSourceSeekTest {

    @Test
    void readsOnFromThePositionsWhenTheyNameEveryPartition() throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String topic = TestTopics.pairs(bootstrap, 2);
        publish(bootstrap, topic, 10);
        assertEquals(Map.of(0, 4L, 1, 7L), firstOffsets(bootstrap, topic, Map.of(0, 4L, 1, 7L)));
    }

    @Test
    void aPartitionThePositionsDoNotNameStartsAtTheBeginning() throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String topic = TestTopics.pairs(bootstrap, 2);
        publish(bootstrap, topic, 10);
        assertEquals(Map.of(0, 0L, 1, 5L), firstOffsets(bootstrap, topic, Map.of(1, 5L)));
    }

    /** {@code perPartition} records into each of the topic's two partitions. */
    private static void publish(String bootstrap, String topic, int perPartition) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int partition = 0; partition < 2; partition++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, partition, null, new byte[] {(byte) i})).get();
                }
            }
        }
    }

    /** The first offset read in each partition after seeking to {@code next}. */
    private static Map<Integer, Long> firstOffsets(String bootstrap, String topic, Map<Integer, Long> next) {
        Map<Integer, Long> first = new TreeMap<>();
        try (KafkaPairSource source = new KafkaPairSource(KafkaClientSettings.plaintext(bootstrap), topic, "earliest",
                "seek-test")) {
            source.seek(new SourcePositions(topic, next));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (first.size() < 2 && System.nanoTime() < deadline) {
                for (SourceRecord record : source.poll(Duration.ofMillis(200))) {
                    first.putIfAbsent(record.partition(), record.offset());
                }
            }
        }
        return first;
    }
}
