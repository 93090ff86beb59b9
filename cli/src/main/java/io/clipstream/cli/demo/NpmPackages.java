package io.clipstream.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fetches npm packages with the ordinary npm client ({@code npm pack NAME@VERSION}: the registry's tarball, no
 * install scripts run) and unpacks the parts needed with {@code tar}.
 */
final class NpmPackages {

    private static final long TIMEOUT_MINUTES = 10;

    private final String npm;

    /** @param npm the npm executable: {@code npm} on the PATH, or a path */
    NpmPackages(String npm) {
        this.npm = npm;
    }

    static NpmPackages onPath() {
        return new NpmPackages("npm");
    }

    /** Whether npm can be run here at all. */
    boolean available() {
        try {
            Process process = new ProcessBuilder(npm, "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Downloads the tarballs of {@code specs} into {@code dir}; returns them in the order asked. */
    List<Path> pack(List<String> specs, Path dir) throws IOException {
        List<String> command = new ArrayList<>(List.of(npm, "pack"));
        command.addAll(specs);
        run(command, dir, "npm pack " + String.join(" ", specs));
        List<Path> tarballs = new ArrayList<>();
        for (String spec : specs) {
            Path tarball = dir.resolve(tarballName(spec));
            if (!Files.isRegularFile(tarball)) {
                throw new DemoFailure("npm pack did not write " + tarball.getFileName() + " for " + spec);
            }
            tarballs.add(tarball);
        }
        return tarballs;
    }

    /** Extracts only {@code members} (paths inside the tarball, e.g. {@code package/emoji.json}) into {@code into}. */
    static void unpack(Path tarball, Path into, List<String> members) throws IOException {
        Files.createDirectories(into);
        List<String> command = new ArrayList<>(List.of("tar", "-xzf", tarball.toString(), "-C", into.toString()));
        command.addAll(members);
        run(command, into, "tar -xzf " + tarball.getFileName());
    }

    /** The file {@code npm pack} writes: {@code @scope/name@1.0.0} → {@code scope-name-1.0.0.tgz}. */
    static String tarballName(String spec) {
        int at = spec.lastIndexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("Not NAME@VERSION: " + spec);
        }
        String name = spec.substring(0, at);
        String version = spec.substring(at + 1);
        return (name.startsWith("@") ? name.substring(1) : name).replace('/', '-') + "-" + version + ".tgz";
    }

    private static void run(List<String> command, Path dir, String what) throws IOException {
        Path output = Files.createTempFile(dir, "command-", ".log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new DemoFailure("Cannot run " + command.get(0) + " (" + e.getMessage() + ")", e);
        }
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new DemoFailure(what + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DemoFailure("Interrupted during " + what, e);
        }
        if (process.exitValue() != 0) {
            throw new DemoFailure(what + " failed (exit " + process.exitValue() + "):\n" + tail(output));
        }
        Files.deleteIfExists(output);
    }

    private static String tail(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
