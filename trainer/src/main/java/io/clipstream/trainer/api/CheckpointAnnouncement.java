package io.clipstream.trainer.api;

import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.trainer.checkpoint.StoredCheckpoint;
import java.util.Map;

/** The answer to {@code POST /trainer/checkpoint}: what was announced. */
public record CheckpointAnnouncement(String version, String parent, CheckpointStatus status, String reason, long step,
        long samplesSeen, String artifactUri, String sha256, Map<String, Double> metrics) {

    static CheckpointAnnouncement of(StoredCheckpoint stored) {
        return new CheckpointAnnouncement(stored.version(), stored.manifest().parent(), stored.state().status(),
                stored.state().statusReason(), stored.state().step(), stored.state().samplesSeen(),
                stored.uri().toString(), stored.manifest().weightsSha256(), stored.manifest().metrics());
    }
}
