package io.clipstream.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated record of every type, optional fields set, for round trips. */
final class SampleRecords {

    static final Instant T0 = Instant.ofEpochMilli(1_790_000_000_000L);

    private SampleRecords() {
    }

    static List<SpecificRecord> all() {
        return List.of(
                ImageTextPair.newBuilder().setPairId("p-1").setImage(bytes(1, 2, 3)).setContentType("image/png")
                        .setCaption("a cat on a mat").setSource("upload").setEventTime(T0)
                        .setAttributes(Map.of("team", "vision")).build(),
                NormalizedPair.newBuilder().setPairId("p-1").setWidth(2).setHeight(1).setPixels(bytes(1, 2, 3, 4, 5, 6))
                        .setCaption("a cat on a mat").setCaptionTruncated(true).setContentHash("ab12")
                        .setEventTime(T0).setNormalizedTime(T0.plusMillis(5)).setSource("upload")
                        .setAttributes(Map.of("k", "v")).build(),
                Rejected.newBuilder().setId("p-2").setReason(RejectReason.IMAGE_TOO_MANY_PIXELS)
                        .setMessage("60000x60000 exceeds 40000000 pixels").setSourceTopic(Topics.PAIRS_RAW)
                        .setSourcePartition(3).setSourceOffset(42).setOriginalKey(bytes(9)).setOriginalValue(bytes(7, 7))
                        .setService("ingest").setModelVersion("4").setRejectedTime(T0).setAttributes(Map.of()).build(),
                ImageEvent.newBuilder().setImageId("i-1").setImage(bytes(0xFF, 0xD8)).setContentType("image/jpeg")
                        .setEventTime(T0).setAttributes(Map.of("camera", "3")).build(),
                ImageEmbedding.newBuilder().setImageId("i-1").setVector(List.of(0.6f, -0.8f)).setModelVersion("7")
                        .setEventTime(T0).setEmbeddedTime(T0.plusMillis(12)).setAttributes(Map.of("camera", "3"))
                        .build(),
                LabelSet.newBuilder().setId("animals").setRevision(3)
                        .setLabels(List.of(new Label("cat", List.of()), new Label("dog", List.of("a photo of a puppy."))))
                        .setTemplates(List.of("a photo of a {}.", "a drawing of a {}.")).setTopK(2)
                        .setMinProbability(0.1f).setAttributeFilter(Map.of("camera", "3")).setEnabled(true)
                        .setUpdatedTime(T0).build(),
                Classification.newBuilder().setImageId("i-1").setLabelSetId("animals").setLabelSetRevision(3)
                        .setModelVersion("7").setLabels(List.of(new ScoredLabel("cat", 0.9f, 0.31f)))
                        .setEventTime(T0).setEmbeddedTime(T0.plusMillis(12)).setClassifiedTime(T0.plusMillis(20))
                        .setAttributes(Map.of()).build(),
                Checkpoint.newBuilder().setVersion("7").setParent("6").setStep(1200).setSamplesSeen(38_400)
                        .setSourceOffsets(List.of(new SourceOffset(Topics.PAIRS_NORMALIZED, 0, 1234L)))
                        .setArtifactUri("file:///var/clipstream/checkpoints/7").setSha256("00ff")
                        .setConfig("{\"embed_dim\":64}").setMetrics(Map.of("recall_at_5", 0.42))
                        .setStatus(CheckpointStatus.PASSED).setStatusReason(null).setCreatedTime(T0)
                        .setFreshness(T0.minusSeconds(60)).build());
    }

    static ByteBuffer bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return ByteBuffer.wrap(b);
    }
}
