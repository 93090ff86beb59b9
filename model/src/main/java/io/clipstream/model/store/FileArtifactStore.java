package io.clipstream.model.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** An artifact store in a directory: one sub-directory per version, published by an atomic rename. */
public final class FileArtifactStore implements ArtifactStore {

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String STAGING = ".staging";

    private final Path root;

    public FileArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public URI uri(String version) {
        return directory(version).toUri();
    }

    @Override
    public URI publish(String version, Path completeDirectory) throws IOException {
        Path target = directory(version);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "model version " + version
                    + " already exists; versions are immutable");
        }
        Files.createDirectories(root);
        // Every byte on the disk before the name appears, and the name on the disk before anyone is told of it.
        Fsync.tree(completeDirectory);
        try {
            Files.move(completeDirectory, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("Stage checkpoints inside the store (newStagingDirectory()) so publishing is a rename: "
                    + completeDirectory + " → " + target, e);
        }
        Fsync.directory(root);
        return target.toUri();
    }

    /**
     * Removes a version: first renamed out of the store's listing in one step (readers see all of it or nothing), then
     * deleted file by file.
     */
    @Override
    public boolean delete(String version) throws IOException {
        Path dir = directory(version);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        Path staging = root.resolve(STAGING);
        Files.createDirectories(staging);
        Path doomed = staging.resolve("deleted-" + version + "-" + System.nanoTime());
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(root);
        try (Stream<Path> paths = Files.walk(doomed)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        return true;
    }

    @Override
    public Optional<Path> locate(String version) {
        Path dir = directory(version);
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    @Override
    public List<String> versions() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> VERSION.matcher(name).matches())
                    .sorted(VERSION_ORDER).toList();
        }
    }

    @Override
    public Path newStagingDirectory() throws IOException {
        Path staging = root.resolve(STAGING);
        Files.createDirectories(staging);
        return Files.createTempDirectory(staging, "checkpoint-");
    }

    @Override
    public int clearStaging() throws IOException {
        Path staging = root.resolve(STAGING);
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        List<Path> entries;
        try (Stream<Path> children = Files.list(staging)) {
            entries = children.toList();
        }
        for (Path entry : entries) {
            try (Stream<Path> paths = Files.walk(entry)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        return entries.size();
    }

    private Path directory(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("Not a model version: " + version
                    + " (letters, digits, '.', '_' and '-', at most 128)");
        }
        return root.resolve(version);
    }

    /** Numeric versions by value (2 before 10), then others by name. */
    static final Comparator<String> VERSION_ORDER = (a, b) -> {
        boolean na = a.chars().allMatch(Character::isDigit);
        boolean nb = b.chars().allMatch(Character::isDigit);
        if (na && nb) {
            int byLength = Integer.compare(a.length(), b.length());
            return byLength != 0 ? byLength : a.compareTo(b);
        }
        return na ? -1 : nb ? 1 : a.compareTo(b);
    };
}
