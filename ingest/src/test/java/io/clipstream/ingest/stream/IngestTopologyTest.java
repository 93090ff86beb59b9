package io.clipstream.ingest.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.ingest.CaptionCleaner;
import io.clipstream.ingest.PairNormalizer;
import io.clipstream.ingest.runtime.IngestMetrics;
import io.clipstream.model.image.TestImages;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.ImageDecoder;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTopologyTest {

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private IngestMetrics metrics;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, NormalizedPair> normalized;
    private TestOutputTopic<String, Rejected> rejected;
    private final AvroSerde<ImageTextPair> pairs = AvroSerde.of(ImageTextPair.class);

    @BeforeEach
    void start() {
        metrics = new IngestMetrics(new SimpleMeterRegistry());
        PairNormalizer normalizer = new PairNormalizer(
                ClipImageTransform.openAi(32).withDecoder(new ImageDecoder(ImageLimits.DEFAULT.withMinSide(4))),
                new CaptionCleaner(50, 500), Clock.systemUTC());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(IngestTopology.build(normalizer, metrics, Duration.ofHours(1)), props);
        raw = driver.createInputTopic(Topics.PAIRS_RAW, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        normalized = driver.createOutputTopic(Topics.PAIRS_NORMALIZED, Serdes.String().deserializer(),
                AvroSerde.of(NormalizedPair.class));
        rejected = driver.createOutputTopic(Topics.PAIRS_REJECTED, Serdes.String().deserializer(),
                AvroSerde.of(Rejected.class));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private byte[] pair(String id, byte[] image, String caption) {
        return pairs.encode(ImageTextPair.newBuilder().setPairId(id).setImage(ByteBuffer.wrap(image)).setCaption(caption)
                .setEventTime(Instant.parse("2026-01-01T00:00:00Z")).setAttributes(Map.of("src", "test")).build());
    }

    @Test
    void normalisesAGoodPairToTrainingSizeRgbBytes() {
        raw.pipeInput("p1", pair("p1", TestImages.png(64, 48, 1), "  a <b>red</b> circle "), Instant.now());

        NormalizedPair out = normalized.readValue();
        assertEquals("p1", out.getPairId());
        assertEquals(32, out.getWidth());
        assertEquals(32, out.getHeight());
        assertEquals(32 * 32 * 3, out.getPixels().remaining());
        assertEquals("a red circle", out.getCaption());
        assertEquals(64, out.getContentHash().length());
        assertEquals(Map.of("src", "test"), out.getAttributes());
        assertTrue(rejected.isEmpty());
    }

    @Test
    void dropsAnExactDuplicateOnceAndCountsIt() {
        byte[] image = TestImages.png(40, 40, 2);
        Instant t = Instant.now();
        raw.pipeInput("a", pair("a", image, "same caption"), t);
        raw.pipeInput("b", pair("b", image, "same caption"), t.plusSeconds(1));
        raw.pipeInput("c", pair("c", image, "another caption"), t.plusSeconds(2));
        raw.pipeInput("d", pair("d", TestImages.png(40, 40, 3), "same caption"), t.plusSeconds(3));

        List<String> ids = normalized.readValuesToList().stream().map(NormalizedPair::getPairId).toList();
        assertEquals(List.of("a", "c", "d"), ids);
        assertEquals(1.0, metrics.duplicateCount());
        assertEquals(metrics.inCount(), metrics.normalizedCount() + metrics.rejectedCount() + metrics.duplicateCount());
    }

    @Test
    void routesAnExactDuplicateToRejectedWithTheIdItDuplicatesAndWhereItWasRead() {
        byte[] image = TestImages.png(40, 40, 2);
        Instant t = Instant.now();
        raw.pipeInput("first", pair("first", image, "same caption"), t);
        raw.pipeInput("copy", pair("copy", image, "same caption"), t.plusSeconds(1));

        assertEquals(List.of("first"), normalized.readValuesToList().stream().map(NormalizedPair::getPairId).toList());
        Rejected r = rejected.readValue();
        assertEquals("copy", r.getId());
        assertEquals(RejectReason.DUPLICATE, r.getReason());
        assertEquals("first", r.getAttributes().get("duplicateOf"), r.getAttributes().toString());
        assertEquals("test", r.getAttributes().get("src"), "the pair's own attributes are kept");
        assertTrue(r.getMessage().contains("first"), r.getMessage());
        assertEquals(Topics.PAIRS_RAW, r.getSourceTopic(), "where the duplicate was read, not the repartition topic");
        assertEquals(1L, r.getSourceOffset());
        assertArrayEquals(TestImages.text("copy"), bytes(r.getOriginalKey()));
        assertTrue(rejected.isEmpty());
        assertEquals(metrics.inCount(), metrics.normalizedCount() + metrics.rejectedCount() + metrics.duplicateCount());
    }

    @Test
    void rejectsNonAvroWithItsBytesAndWhereItWasRead() {
        byte[] garbage = TestImages.text("this is not avro");
        raw.pipeInput("k1", garbage, Instant.now());

        Rejected r = rejected.readValue();
        assertEquals(RejectReason.UNDECODABLE_RECORD, r.getReason());
        assertEquals(Topics.PAIRS_RAW, r.getSourceTopic());
        assertEquals(0L, r.getSourceOffset());
        assertArrayEquals(garbage, bytes(r.getOriginalValue()));
        assertArrayEquals(TestImages.text("k1"), bytes(r.getOriginalKey()));
        assertEquals("ingest", r.getService());
        assertTrue(normalized.isEmpty());
    }

    @Test
    void rejectsBadImagesAndCaptionsWithTheirReason() {
        raw.pipeInput("bomb", pair("bomb", TestImages.pngClaiming(60_000, 60_000), "bomb"));
        raw.pipeInput("tiny", pair("tiny", TestImages.png(1, 1, 1), "tiny"));
        raw.pipeInput("blank", pair("blank", TestImages.png(32, 32, 4), " \n\t "));

        Map<String, RejectReason> reasons = new java.util.HashMap<>();
        rejected.readValuesToList().forEach(r -> reasons.put(r.getId(), r.getReason()));
        assertEquals(Map.of("bomb", RejectReason.IMAGE_TOO_MANY_PIXELS, "tiny", RejectReason.IMAGE_TOO_SMALL,
                "blank", RejectReason.EMPTY_CAPTION), reasons);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
