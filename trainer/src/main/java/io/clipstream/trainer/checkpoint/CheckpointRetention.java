package io.clipstream.trainer.checkpoint;

import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.trainer.TrainerSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Deletes the trainer's old checkpoints by its {@link TrainerSettings.Retention} policy. What must stay: the version
 * a restart resumes from, its ancestors back to the nearest one that passed (the guardrail's baseline walks that
 * chain), the newest passed versions, the newest versions, and whatever a rollout file names. Versions the trainer
 * did not write (imported weights) are never deleted. When in doubt (a rollout file that cannot be read), nothing is.
 */
public final class CheckpointRetention {

    private static final Logger LOG = Logger.getLogger(CheckpointRetention.class);

    private final TrainerSettings.Retention policy;

    public CheckpointRetention(TrainerSettings.Retention policy) {
        this.policy = policy;
    }

    /**
     * Applies the policy after {@code resumeVersion} was stored (the version a restart would resume from).
     *
     * @return the versions deleted, oldest first
     */
    public List<String> apply(ArtifactStore store, String resumeVersion) throws IOException {
        if (!policy.enabled()) {
            return List.of();
        }
        List<String> ours = ResumePoint.trainerVersions(store); // newest first
        Set<String> keep = new LinkedHashSet<>(ours.subList(0, Math.min(policy.keepLast(), ours.size())));
        int passed = 0;
        for (String version : ours) {
            if (passed < policy.keepPassed() && status(store, version) == CheckpointStatus.PASSED) {
                keep.add(version);
                passed++;
            }
        }
        keep.addAll(lineageToNearestPassed(store, resumeVersion));
        keep.addAll(rolledOut());
        List<String> deleted = new ArrayList<>();
        for (String version : ours.reversed()) {
            if (!keep.contains(version) && store.delete(version)) {
                deleted.add(version);
            }
        }
        if (!deleted.isEmpty()) {
            LOG.infof("Deleted old checkpoint version(s) %s; kept %s", deleted, keep);
        }
        return deleted;
    }

    /** {@code version} and its parents up to and including the nearest that passed (all of them if none did). */
    private static List<String> lineageToNearestPassed(ArtifactStore store, String version) {
        List<String> chain = new ArrayList<>();
        for (String current = version; current != null && !chain.contains(current); ) {
            chain.add(current);
            Optional<ResumePoint> point;
            try {
                point = ResumePoint.of(store, current);
            } catch (IOException | RuntimeException e) {
                break; // an unreadable link ends the chain the guardrail can follow anyway
            }
            if (point.isEmpty() || point.get().state().status() == CheckpointStatus.PASSED) {
                break;
            }
            current = point.get().manifest().parent();
        }
        return chain;
    }

    private static CheckpointStatus status(ArtifactStore store, String version) {
        try {
            return ResumePoint.of(store, version).map(p -> p.state().status()).orElse(null);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: not a passed version to keep for its own sake
        }
    }

    /** The versions the rollout files name; a file that cannot be read stops the deletion (it might name any). */
    private Set<String> rolledOut() throws IOException {
        Set<String> versions = new LinkedHashSet<>();
        for (Path file : policy.rolloutFiles()) {
            Optional<CheckpointSource.Requested> requested = new CheckpointSource(Optional.empty(), Optional.of(file))
                    .requested();
            requested.ifPresent(r -> {
                versions.add(r.reference());
                lastSegment(r.reference()).ifPresent(versions::add); // a reference by URI or path to a version folder
            });
        }
        return versions;
    }

    private static Optional<String> lastSegment(String reference) {
        try {
            Path path = reference.startsWith("file:") ? Path.of(URI.create(reference)) : Path.of(reference);
            return Optional.ofNullable(path.getFileName()).map(Path::toString);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) { // InvalidPathException included
            return Optional.empty();
        }
    }
}
