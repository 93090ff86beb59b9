package io.clipstream.ingest.bench;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.ingest.CaptionCleaner;
import io.clipstream.ingest.PairNormalizer;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ingest throughput for 640×480 JPEG → 224: the bare normalisation function, then the whole service (publish to
 * pairs.raw → read from pairs.normalized, exactly-once Kafka Streams, one stream thread). Prints, asserts nothing.
 * Run: ./mvnw -B -pl ingest -am -Pbench verify -Dtest=IngestBench -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("bench")
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestBench {

    private static final int PAIRS = 400;

    private static List<byte[]> jpegs(int n, int offset) {
        List<byte[]> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            images.add(TestImages.jpeg(640, 480, offset + i));
        }
        return images;
    }

    @Test
    void normalisationAloneAndThroughTheService() {
        // --- the bare function, one thread
        PairNormalizer normalizer = new PairNormalizer(ClipImageTransform.openAi(224), new CaptionCleaner(300, 10_000),
                Clock.systemUTC());
        List<byte[]> warm = jpegs(50, 0);
        List<byte[]> measured = jpegs(PAIRS, 1_000);
        for (byte[] jpeg : warm) {
            normalizer.normalize(pair("warm", jpeg));
        }
        long t0 = System.nanoTime();
        for (byte[] jpeg : measured) {
            normalizer.normalize(pair("bare", jpeg));
        }
        double bareSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ingest bench: bare normalisation 640x480 JPEG -> 224: %.1f pairs/s on one thread (%.2f ms each, %d KB avg)%n",
                PAIRS / bareSeconds, 1000 * bareSeconds / PAIRS, measured.stream().mapToInt(b -> b.length).sum() / PAIRS / 1024);

        // --- the service: publish, then read every normalised pair back
        AvroSerde<ImageTextPair> serde = AvroSerde.of(ImageTextPair.class);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<byte[]> images = jpegs(PAIRS, 5_000);
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            long start = System.currentTimeMillis();
            for (int i = 0; i < PAIRS; i++) {
                String id = run + "-" + i;
                kafka.send(Topics.PAIRS_RAW, id, serde.encode(pair(id, images.get(i))));
            }
            long published = System.currentTimeMillis();
            List<ConsumerRecord<String, NormalizedPair>> out = kafka.readUntil(Topics.PAIRS_NORMALIZED,
                    AvroSerde.of(NormalizedPair.class),
                    r -> r.stream().filter(x -> x.key().startsWith(run)).count() >= PAIRS, Duration.ofMinutes(5));
            List<ConsumerRecord<String, NormalizedPair>> ours = out.stream().filter(x -> x.key().startsWith(run)).toList();
            // Output records keep the input's timestamp: the normalised time is in the value.
            long first = ours.stream().mapToLong(r -> r.value().getNormalizedTime().toEpochMilli()).min().orElse(start);
            long last = ours.stream().mapToLong(r -> r.value().getNormalizedTime().toEpochMilli()).max().orElse(start);
            long[] latencies = ours.stream()
                    .mapToLong(r -> r.value().getNormalizedTime().toEpochMilli() - r.value().getEventTime().toEpochMilli())
                    .sorted().toArray();
            double seconds = (last - start) / 1000.0;
            System.out.printf("ingest bench: service publish -> pairs.normalized: %d pairs in %.1f s = %.1f pairs/s "
                            + "(first to last normalised: %.1f pairs/s; 1 stream thread, %d cores; publishing took %.1f s); "
                            + "event->normalised p50 %d ms, p99 %d ms%n",
                    ours.size(), seconds, ours.size() / seconds, ours.size() * 1000.0 / Math.max(1, last - first),
                    Runtime.getRuntime().availableProcessors(), (published - start) / 1000.0,
                    percentile(latencies, 0.5), percentile(latencies, 0.99));
        }
    }

    private static ImageTextPair pair(String id, byte[] jpeg) {
        return ImageTextPair.newBuilder().setPairId(id).setImage(ByteBuffer.wrap(jpeg)).setCaption("a benchmark photo " + id)
                .setEventTime(Instant.now()).build();
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

}
