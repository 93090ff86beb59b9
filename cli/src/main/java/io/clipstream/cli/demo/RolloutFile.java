package io.clipstream.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one-machine stand-in for the rollout manifest: an env file naming the checkpoint version the embedder
 * serves. Written to a sibling and renamed over the old file, so the embedder, which watches it, never reads half
 * a file.
 */
public final class RolloutFile {

    private RolloutFile() {
    }

    public static void write(Path file, String version) throws IOException {
        if (!version.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) { // as the artifact store names versions
            throw new IllegalArgumentException("Not a model version to roll out: \"" + version + "\"");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path next = file.resolveSibling(file.getFileName() + ".next");
        // The one line and nothing else: the contract with the embedder's watcher is this line.
        Files.writeString(next, ServiceWiring.ROLLOUT_KEY + "=" + version + "\n", StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
