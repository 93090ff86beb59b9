package io.clipstream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.ClipSerdes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: ingest (Kafka Streams, exactly-once) SIGKILLed mid-stream and restarted: every pair ends normalised or
 * rejected exactly once, none missing, none twice.
 */
@Tag("faults")
class IngestKillTest {

    @Test
    void everyPairEndsExactlyOnceThroughAKill() throws Exception {
        try (FaultStack stack = new FaultStack("ingest-kill")) {
            stack.startBroker();
            FaultStack.Instance ingest = stack.add("ingest", 0, Map.of());
            ingest.start();
            ingest.awaitReady();

            List<String> ids = Scenario.ids("pair", Scenario.IMAGES);
            try (OutputLog log = new OutputLog(stack.bootstrap, List.of(Topics.PAIRS_NORMALIZED, Topics.PAIRS_REJECTED),
                    record -> record.key()).start();
                    SteadyPublisher pairs = new SteadyPublisher(stack.bootstrap, Topics.PAIRS_RAW, "pair",
                            Scenario.IMAGES, Scenario.RATE, IngestKillTest::pair).start()) {
                pairs.awaitPublishedAtLeast(Scenario.IMAGES / 3);
                java.util.Set<String> members = stack.memberIds("clipstream-ingest", ingest);
                ingest.kill();
                Thread.sleep(Scenario.DEAD_MILLIS);
                long restarted = System.nanoTime();
                ingest.start();
                FaultStack.Recovery recovery = stack.recovery("clipstream-ingest", ingest, members, restarted);
                pairs.awaitDone();
                log.awaitKeys(ids.size(), Duration.ofSeconds(60));

                Accounting result = Accounting.of("ingest-kill", ids, Scenario.IMAGES, log, pairs);
                System.out.println(result.line());
                System.out.println(recovery.line("ingest-kill"));
                assertTrue(result.missing().isEmpty(), result.line() + " missing: " + result.missingSample());
                assertEquals(0, result.duplicates(), result.line() + ": exactly-once allows no second copy");
            }
        }
    }

    static byte[] pair(int index) {
        return ClipSerdes.imageTextPair().encode(ImageTextPair.newBuilder().setPairId("pair-" + index)
                .setImage(ByteBuffer.wrap(Scenario.uniqueImage(index))).setContentType("image/png")
                .setCaption("a test pattern number " + index).setEventTime(java.time.Instant.now())
                .setAttributes(Map.of()).build());
    }
}
