package io.clipstream.model.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.CheckpointStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which model versions a service may load because a record names them: those that PASSED the trainer's guardrail,
 * and the one an operator rolled out (imported weights carry no verdict, yet an operator may serve them). Anything
 * else in the store (a REJECTED or still UNEVALUATED checkpoint, a directory someone copied in) is refused, so that
 * a producer of embeddings cannot make the classifier serve it by naming it.
 */
public final class ServableVersions {

    /**
     * The trainer's verdict file in a checkpoint directory ({@code status}: the guardrail's verdict, the same the
     * trainer announces on {@code clipstream.checkpoints}); written before the version is published, so immutable.
     */
    public static final String VERDICT_FILE = "trainer-state.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArtifactStore store;
    private final CheckpointSource rollout;

    public ServableVersions(ArtifactStore store, CheckpointSource rollout) {
        this.store = store;
        this.rollout = rollout;
    }

    /**
     * Refuses {@code version} unless it PASSED or is the rolled-out one; the rolled-out one also when its manifest
     * is not the one the rollout pins.
     */
    public void require(String version) throws IOException {
        Optional<CheckpointSource.Requested> rolledOut = rollout.requested();
        if (rolledOut.isPresent() && rolledOut.get().reference().equals(version)) {
            if (rolledOut.get().manifestSha256().isPresent()) {
                Optional<Path> dir = store.locate(version);
                if (dir.isPresent()) { // a version not in the store fails its load, saying so
                    CheckpointResolver.requirePinned(dir.get(), version, rolledOut.get().manifestSha256().get());
                }
            }
            return;
        }
        String verdict = verdict(version);
        if (!CheckpointStatus.PASSED.name().equals(verdict)) {
            throw new VersionNotServableException(version, "model version " + version + " is not served: it "
                    + verdict + " the trainer's guardrail and is not the rolled-out version ("
                    + rolledOut.map(r -> r.reference() + ", " + r.origin()).orElse("none rolled out") + ")");
        }
    }

    /** "PASSED", "was REJECTED by", …: how the version stands, in words for {@link #require}'s message. */
    private String verdict(String version) throws IOException {
        Optional<Path> dir = store.locate(version);
        if (dir.isEmpty()) {
            return "is not in the artifact store, so never passed";
        }
        Path file = dir.get().resolve(VERDICT_FILE);
        if (!Files.isRegularFile(file)) {
            return "has no verdict (" + VERDICT_FILE + ") from";
        }
        JsonNode status;
        try {
            status = JSON.readTree(file.toFile()).path("status");
        } catch (IOException e) {
            return "has an unreadable verdict (" + file + ") from";
        }
        if (CheckpointStatus.PASSED.name().equals(status.asText())) {
            return CheckpointStatus.PASSED.name();
        }
        return status.isTextual() ? "was " + status.asText() + " by" : "has no status in its verdict from";
    }

    /** A version a record names that may not be loaded. */
    public static final class VersionNotServableException extends RuntimeException {
        private final String version;

        public VersionNotServableException(String version, String message) {
            super(message);
            this.version = version;
        }

        public String version() {
            return version;
        }
    }
}
