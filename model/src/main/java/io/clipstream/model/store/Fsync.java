package io.clipstream.model.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Forces files and directories to the disk, so that what a rename announced survives a power loss: a rename is
 * atomic, but without an fsync of the files first the new name can point at empty or truncated data, and without an
 * fsync of the directory after it the rename itself can be lost.
 */
public final class Fsync {

    private Fsync() {
    }

    /** Forces a regular file's data and metadata. */
    public static void file(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Forces a directory's entries (the names created, renamed or deleted in it). Linux and macOS allow opening a
     * directory for reading and forcing it; where the platform refuses (Windows), the directory entry is the file
     * system's to make durable.
     */
    public static void directory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (isWindows()) {
                return;
            }
            throw e;
        }
    }

    /** Forces every regular file under {@code root}, then every directory, deepest first, {@code root} last. */
    public static void tree(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                file(path);
            }
        }
        for (Path path : paths) {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                directory(path);
            }
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
