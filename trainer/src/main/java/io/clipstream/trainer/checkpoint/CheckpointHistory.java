package io.clipstream.trainer.checkpoint;

import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.CheckpointStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoints of the artifact store that the trainer wrote, newest first, as people look at them: verdict and
 * why, step, pairs seen and the evaluation metrics (for a learning curve). Read from their manifests and trainer
 * states only: nothing is verified or loaded, so listing stays cheap; one that cannot be read is listed with why.
 */
public final class CheckpointHistory {

    /**
     * One checkpoint.
     *
     * @param baseline the version the guardrail compared with, or null
     * @param error    why its files cannot be read, or null (then only the version is known)
     */
    public record Entry(String version, String parent, CheckpointStatus status, String reason, String baseline,
            long step, long samplesSeen, Instant created, Map<String, Double> metrics, String error) {
    }

    private CheckpointHistory() {
    }

    /** At most {@code limit} checkpoints, newest first. */
    public static List<Entry> newest(ArtifactStore store, int limit) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String version : ResumePoint.trainerVersions(store)) {
            if (entries.size() >= limit) {
                break;
            }
            entries.add(entry(store, version));
        }
        return entries;
    }

    private static Entry entry(ArtifactStore store, String version) {
        try {
            Optional<ResumePoint> point = ResumePoint.of(store, version);
            if (point.isEmpty()) {
                return unreadable(version, "no longer in the store");
            }
            TrainerState state = point.get().state();
            return new Entry(version, point.get().manifest().parent(), state.status(), state.statusReason(),
                    state.baseline(), state.step(), state.samplesSeen(), point.get().manifest().created(),
                    Map.copyOf(point.get().manifest().metrics()), null);
        } catch (IOException | RuntimeException e) {
            return unreadable(version, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static Entry unreadable(String version, String error) {
        return new Entry(version, null, null, null, null, 0, 0, null, Map.of(), error);
    }
}
