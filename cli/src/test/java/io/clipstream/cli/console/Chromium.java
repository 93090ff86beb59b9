package io.clipstream.cli.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium and its ChromeDriver ({@code chromium}, {@code chromium-driver}) for the browser tests:
 * found where Debian puts them, else installed with apt-get where this process may (root, apt-get present, not
 * forbidden by {@value #NO_INSTALL}), else absent with the reason, which the test states when it skips.
 */
final class Chromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** Set (to anything) to never install; the tests then skip where Chromium is missing. */
    static final String NO_INSTALL = "CLIPSTREAM_NO_BROWSER_INSTALL";

    /** The reason there is none, or empty when {@link #BROWSER} and {@link #DRIVER} are there. */
    static synchronized Optional<String> ensureInstalled() {
        if (present()) {
            return Optional.empty();
        }
        if (System.getenv(NO_INSTALL) != null) {
            return Optional.of("Chromium is not installed (" + BROWSER + ", " + DRIVER + ") and " + NO_INSTALL
                    + " forbids installing it: apt-get install -y chromium chromium-driver");
        }
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            return Optional.of("Chromium is not installed (" + BROWSER + ", " + DRIVER + ") and this process cannot "
                    + "install it (needs root and apt-get): apt-get install -y chromium chromium-driver");
        }
        System.out.println("ConsoleBrowserTest: installing Debian's chromium and chromium-driver (apt-get)");
        String failure = run(List.of("apt-get", "update"));
        if (failure == null) {
            failure = run(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"));
        }
        if (!present()) {
            return Optional.of("Chromium could not be installed: " + (failure == null ? "apt-get left no "
                    + BROWSER + " or " + DRIVER : failure));
        }
        return Optional.empty();
    }

    private static boolean present() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    /** Runs a command to its end (10 minutes at most); null when it succeeded, else what went wrong. */
    private static String run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).inheritIO();
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return String.join(" ", command) + " took more than 10 minutes";
            }
            return process.exitValue() == 0 ? null : String.join(" ", command) + " exited with " + process.exitValue();
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private Chromium() {
    }
}
