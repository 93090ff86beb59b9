package io.clipstream.model.checkpoint;

import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.store.Fsync;

import ai.djl.ndarray.NDManager;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A checkpoint is a directory: {@code weights.safetensors} ({@link StoredWeights}: OpenAI names, float32),
 * {@code manifest.json} ({@link CheckpointManifest}) and optionally the tokenizer file and the
 * optimiser state of a run that can continue ({@link TrainingState}). The
 * manifest is written last, so a directory with a manifest is complete; loading verifies every
 * SHA-256 before a byte is parsed.
 */
public final class Checkpoints {

    public static final String MANIFEST_FILE = "manifest.json";
    public static final String WEIGHTS_FILE = "weights.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Checkpoints() {
    }

    /**
     * A loaded checkpoint: where it came from, its manifest and the model, whose weights live in
     * {@code weights}, a manager of their own: closing the checkpoint frees them.
     */
    public record Loaded(Path directory, CheckpointManifest manifest, ClipModel model, NDManager weights)
            implements AutoCloseable {

        /** The tokenizer file, if the checkpoint has one. */
        public Optional<Path> tokenizerFile() {
            return Optional.ofNullable(manifest.tokenizerFile()).map(directory::resolve);
        }

        /** The optimiser state file, if the checkpoint was saved to continue training. */
        public Optional<Path> optimizerStateFile() {
            return Optional.ofNullable(manifest.training()).map(TrainingState::optimizerFile).map(directory::resolve);
        }

        @Override
        public void close() {
            weights.close();
        }
    }

    /**
     * Saves the model's weights and the manifest (completed with creation time, file names and
     * hashes) into {@code dir}. A tokenizer named by the manifest must already be in {@code dir}.
     *
     * @return the manifest as written
     */
    public static CheckpointManifest save(Path dir, ClipModel model, CheckpointManifest manifest) throws IOException {
        if (!manifest.config().equals(model.config())) {
            throw new IllegalArgumentException("Manifest config " + manifest.config()
                    + " is not the model's " + model.config());
        }
        Files.createDirectories(dir);
        String tokenizerHash = null;
        if (manifest.tokenizerFile() != null) {
            Path tokenizer = dir.resolve(plainFileName(manifest.tokenizerFile()));
            if (!Files.isRegularFile(tokenizer)) {
                throw new IOException("The manifest names tokenizer " + tokenizer + ", which is not there");
            }
            tokenizerHash = sha256(tokenizer);
        }
        String optimizerHash = null;
        if (manifest.training() != null && manifest.training().optimizerFile() != null) {
            Path optimizer = dir.resolve(plainFileName(manifest.training().optimizerFile()));
            if (!Files.isRegularFile(optimizer)) {
                throw new IOException("The manifest names optimiser state " + optimizer + ", which is not there");
            }
            optimizerHash = sha256(optimizer);
        }
        Path weightsPath = dir.resolve(WEIGHTS_FILE);
        StoredWeights.write(weightsPath, model);

        CheckpointManifest written = manifest.completed(
                manifest.created() != null ? manifest.created() : Instant.now().truncatedTo(ChronoUnit.MILLIS),
                WEIGHTS_FILE, sha256(weightsPath), tokenizerHash, optimizerHash);
        Path temp = Files.createTempFile(dir, "." + MANIFEST_FILE, ".tmp");
        try {
            JSON.writeValue(temp.toFile(), written);
            // The manifest announces the directory complete: its bytes must be on the disk before its name is.
            Fsync.file(temp);
            Files.move(temp, dir.resolve(MANIFEST_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Fsync.directory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
        return written;
    }

    /** Verifies and loads a checkpoint into a sub-manager of {@code manager}; close it when done. */
    public static Loaded load(Path dir, NDManager manager) throws IOException {
        return loadInto(dir, manager.newSubManager());
    }

    /** Verifies and loads a checkpoint onto {@link Engines#defaultDevice()}; close it when done. */
    public static Loaded load(Path dir) throws IOException {
        return loadInto(dir, Engines.newManager());
    }

    private static Loaded loadInto(Path dir, NDManager weights) throws IOException {
        try {
            CheckpointManifest manifest = verify(dir);
            ClipModel model = StoredWeights.read(dir.resolve(manifest.weightsFile()), manifest.config(), weights);
            return new Loaded(dir, manifest, model, weights);
        } catch (IOException | RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Reads the manifest without verifying any file. */
    public static CheckpointManifest readManifest(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointIntegrityException(dir + " is not a checkpoint: no " + MANIFEST_FILE);
        }
        return JSON.readValue(file.toFile(), CheckpointManifest.class);
    }

    /** Checks every file the manifest names against its SHA-256; returns the manifest. */
    public static CheckpointManifest verify(Path dir) throws IOException {
        CheckpointManifest manifest = readManifest(dir);
        if (manifest.weightsFile() == null || manifest.weightsSha256() == null) {
            throw new CheckpointIntegrityException(dir.resolve(MANIFEST_FILE) + " names no weights file and hash");
        }
        verifyFile(dir.resolve(plainFileName(manifest.weightsFile())), manifest.weightsSha256());
        if (manifest.tokenizerFile() != null && manifest.tokenizerSha256() != null) {
            verifyFile(dir.resolve(plainFileName(manifest.tokenizerFile())), manifest.tokenizerSha256());
        }
        TrainingState training = manifest.training();
        if (training != null && training.optimizerFile() != null && training.optimizerSha256() != null) {
            verifyFile(dir.resolve(plainFileName(training.optimizerFile())), training.optimizerSha256());
        }
        return manifest;
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void verifyFile(Path file, String expectedSha256) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointIntegrityException(file + " is named by the manifest but missing");
        }
        String actual = sha256(file);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new CheckpointIntegrityException(file + ": SHA-256 mismatch, the manifest says "
                    + expectedSha256 + " but the file hashes to " + actual
                    + " (corrupt, truncated or replaced)");
        }
    }

    /** A manifest from elsewhere must not point outside its directory. */
    private static String plainFileName(String name) throws CheckpointIntegrityException {
        Path path = Path.of(name);
        if (path.getNameCount() != 1 || path.isAbsolute() || name.equals("..") || name.equals(".")) {
            throw new CheckpointIntegrityException("Checkpoint file names must be plain names in the"
                    + " checkpoint directory, got '" + name + "'");
        }
        return name;
    }
}
