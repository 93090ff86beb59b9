package io.clipstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The bootstrap captions a vocabulary is trained on, with the caption mix off and on. */
class TrainCaptionSamplerTest {

    @Test
    void offEachPairGivesItsCaptionAsSent() {
        List<String> sample = new CaptionSampler().sample(source(), 2, Duration.ofMillis(10), () -> false);
        assertEquals(List.of("U+1F600", "U+1F431"), sample);
    }

    @Test
    void onEachPairGivesEveryPhrasingItCanBeTrainedWith() {
        CaptionMix mix = new CaptionMix(CaptionMix.Settings.defaults(), 1);
        List<String> sample = new CaptionSampler(mix).sample(source(), 2, Duration.ofMillis(10), () -> false);
        List<String> expected = new ArrayList<>(mix.variants("U+1F600",
                Map.of("label", "grinning face", "keywords", "face, grin")));
        expected.addAll(mix.variants("U+1F431", Map.of("label", "cat face")));
        assertEquals(expected, sample, "two pairs counted, not two strings");
        assertTrue(sample.contains("a picture of cat face."));
        assertTrue(sample.contains("grinning face — face, grin"));
    }

    /** Three pairs and an undecodable record, then nothing. */
    private static PairSource source() {
        AvroSerde<NormalizedPair> serde = AvroSerde.of(NormalizedPair.class);
        Deque<List<SourceRecord>> polls = new ArrayDeque<>();
        polls.add(List.of(new SourceRecord(0, 0, new byte[] {1, 2, 3}),
                new SourceRecord(0, 1, serde.encode(pair("a", "U+1F600",
                        Map.of("label", "grinning face", "keywords", "face, grin"))))));
        polls.add(List.of(new SourceRecord(0, 2, serde.encode(pair("b", "U+1F431", Map.of("label", "cat face")))),
                new SourceRecord(0, 3, serde.encode(pair("c", "U+1F436", Map.of("label", "dog face"))))));
        return new PairSource() {
            @Override
            public void seek(SourcePositions positions) {
            }

            @Override
            public List<SourceRecord> poll(Duration timeout) {
                return polls.isEmpty() ? List.of() : polls.poll();
            }

            @Override
            public OptionalLong lag() {
                return OptionalLong.empty();
            }

            @Override
            public void wakeup() {
            }

            @Override
            public void close() {
            }
        };
    }

    private static NormalizedPair pair(String id, String caption, Map<String, String> attributes) {
        return NormalizedPair.newBuilder().setPairId(id).setWidth(1).setHeight(1)
                .setPixels(ByteBuffer.wrap(new byte[3])).setCaption(caption).setContentHash("0")
                .setEventTime(Instant.EPOCH).setNormalizedTime(Instant.EPOCH).setAttributes(attributes).build();
    }
}
