package io.clipstream.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared reference fixtures ({@code ../shared/fixtures}), located through the build. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path root() {
        String configured = System.getProperty("clipstream.fixtures");
        Path root = configured != null ? Path.of(configured) : Path.of("../../shared/fixtures");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("Fixtures not found at " + root.toAbsolutePath()
                    + ": the repository must sit beside shared/ (set -Dclipstream.fixtures=DIR otherwise)");
        }
        return root.normalize();
    }

    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
