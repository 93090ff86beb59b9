package io.clipstream.cli.demo;

import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointMetrics;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.ScoredLabel;
import io.clipstream.schemas.serde.AvroSerde;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Records as the services write them (Avro single-object encoded), for the demo's tests. */
final class DemoRecords {

    private DemoRecords() {
    }

    static byte[] classification(String imageId, String labelSetId, String modelVersion, Instant eventTime,
            Instant classifiedTime, String... ranked) {
        List<ScoredLabel> labels = new java.util.ArrayList<>();
        for (int i = 0; i < ranked.length; i++) {
            labels.add(new ScoredLabel(ranked[i], 1f / (i + 2), 0.5f - i * 0.1f));
        }
        return AvroSerde.of(Classification.class).encode(Classification.newBuilder().setImageId(imageId)
                .setLabelSetId(labelSetId).setLabelSetRevision(1).setModelVersion(modelVersion).setLabels(labels)
                .setEventTime(eventTime).setEmbeddedTime(eventTime.plusMillis(1)).setClassifiedTime(classifiedTime)
                .build());
    }

    static byte[] rejected(String id, RejectReason reason, String service, String sourceTopic) {
        return AvroSerde.of(Rejected.class).encode(Rejected.newBuilder().setId(id).setReason(reason)
                .setMessage("because").setSourceTopic(sourceTopic).setSourcePartition(0).setSourceOffset(0)
                .setService(service).setRejectedTime(Instant.now()).build());
    }

    static Checkpoint checkpoint(String version, long step, CheckpointStatus status, Double loss) {
        return Checkpoint.newBuilder().setVersion(version).setStep(step).setSamplesSeen(step * 32)
                .setArtifactUri("file:/store/" + version).setSha256("00").setConfig("{}")
                .setMetrics(loss == null ? Map.of() : Map.of(CheckpointMetrics.TRAIN_LOSS, loss)).setStatus(status)
                .setStatusReason(status == CheckpointStatus.REJECTED ? "retrieval worse than parent" : null)
                .setCreatedTime(Instant.now()).build();
    }
}
