package io.clipstream.model.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where checkpoints live, by model version. The trainer publishes a complete checkpoint directory; the embedder and
 * the classifier locate a version and load it. {@code file:} directories today; an object store can follow behind
 * the same interface.
 */
public interface ArtifactStore {

    /** Opens a store from a URI ({@code file:/var/lib/clipstream/checkpoints}) or a plain path. */
    static ArtifactStore open(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("No artifact store configured");
        }
        URI uri = location.contains(":") && !location.matches("^[A-Za-z]:\\\\.*") ? URI.create(location) : null;
        if (uri == null || "file".equals(uri.getScheme())) {
            return new FileArtifactStore(uri == null ? Path.of(location) : Path.of(uri));
        }
        throw new IllegalArgumentException("Unsupported artifact store " + location + ": only file: is available");
    }

    /** The URI a version has (or will have) in this store, as announced on the checkpoints topic. */
    URI uri(String version);

    /**
     * Moves a complete checkpoint directory into the store under {@code version}, atomically: readers see all of it
     * or nothing. Refuses to overwrite an existing version (versions are immutable).
     */
    URI publish(String version, Path completeDirectory) throws IOException;

    /**
     * Removes a version as a whole (it leaves the listing in one step); true if it was there. Only for versions no
     * one serves or resumes from: the store cannot know who reads what.
     */
    boolean delete(String version) throws IOException;

    /** A local directory holding the version, if the store has it. */
    Optional<Path> locate(String version) throws IOException;

    /** Every version in the store, oldest first (numeric versions in numeric order). */
    List<String> versions() throws IOException;

    /** The newest version, if any. */
    default Optional<String> latest() throws IOException {
        List<String> all = versions();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** A scratch directory inside the store's file system, so that {@link #publish} can be a rename. */
    Path newStagingDirectory() throws IOException;

    /**
     * Deletes what writers left in staging (a checkpoint cut short by a crash can be as large as a checkpoint, and a
     * crash loop fills the disk with them); returns how many entries went. Only for the store's one writer, when it
     * starts.
     */
    int clearStaging() throws IOException;
}
