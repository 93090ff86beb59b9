package io.clipstream.trainer.data;

import io.clipstream.trainer.TestPairs;
import io.clipstream.trainer.checkpoint.PairFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainPairCodecTest {

    private final PairCodec codec = new PairCodec(8);

    @Test
    void roundTripsAPairAtTheModelSize() throws Exception {
        StreamPair pair = TestPairs.pair("x");
        StreamPair back = codec.decode(codec.encode(pair));
        assertEquals(pair.pairId(), back.pairId());
        assertEquals(pair.caption(), back.caption());
        assertEquals(pair.eventTimeMillis(), back.eventTimeMillis());
        assertArrayEquals(pair.image().pixels(), back.image().pixels());
        assertEquals(pair.attributes(), back.attributes());
    }

    @Test
    void carriesTheAttributesBothWays() throws Exception {
        StreamPair pair = new StreamPair("a", "grinning face", 1L, TestPairs.pair("a").image(),
                Map.of("label", "grinning face", "keywords", "face, grin"));
        NormalizedPair record = codec.toRecord(pair);
        assertEquals(Map.of("label", "grinning face", "keywords", "face, grin"), record.getAttributes());
        assertEquals(pair.attributes(), codec.fromRecord(record).attributes());
        NormalizedPair none = NormalizedPair.newBuilder(record).setAttributes(Map.of()).build();
        assertEquals(Map.of(), codec.decode(AvroSerde.of(NormalizedPair.class).encode(none)).attributes());
    }

    @Test
    void pairsPersistedWithACheckpointKeepTheirAttributes(@TempDir Path dir) throws Exception {
        List<StreamPair> pairs = List.of(TestPairs.pair("k"), new StreamPair("n", "none", 2L,
                TestPairs.pair("n").image(), Map.of()));
        PairFile.write(dir.resolve("pairs"), pairs, codec);
        List<StreamPair> back = PairFile.read(dir.resolve("pairs"), codec);
        assertEquals(Map.of("label", "name of k"), back.get(0).attributes());
        assertEquals(Map.of(), back.get(1).attributes());
    }

    @Test
    void resizesPairsOfAnotherTrainingSize() throws Exception {
        NormalizedPair large = codec.toRecord(TestPairs.pair("big", 24));
        StreamPair read = codec.decode(AvroSerde.of(NormalizedPair.class).encode(large));
        assertEquals(8, read.image().width());
        assertEquals(8, read.image().height());
    }

    @Test
    void saysWhyARecordIsUnusable() {
        assertTrue(assertThrows(UndecodablePairException.class, () -> codec.decode(null)).getMessage()
                .contains("tombstone"));
        assertTrue(assertThrows(UndecodablePairException.class, () -> codec.decode(new byte[] {1, 2, 3})).getMessage()
                .contains("UNDECODABLE_RECORD"));
        NormalizedPair wrongSize = NormalizedPair.newBuilder().setPairId("w").setWidth(8).setHeight(8)
                .setPixels(ByteBuffer.wrap(new byte[10])).setCaption("c").setContentHash("0")
                .setEventTime(Instant.EPOCH).setNormalizedTime(Instant.EPOCH).build();
        assertTrue(assertThrows(UndecodablePairException.class,
                () -> codec.decode(AvroSerde.of(NormalizedPair.class).encode(wrongSize))).getMessage()
                .contains("expected 192 RGB bytes"));
    }
}
