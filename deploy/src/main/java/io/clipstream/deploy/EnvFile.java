package io.clipstream.deploy;

import java.nio.file.Path;
import java.util.List;

/**
 * A kustomize env file ({@code KEY=VALUE} lines, {@code #} comments) edited one value at a time: every other line,
 * comments included, stays as it was, so a diff of an edit is the one changed line.
 */
final class EnvFile {

    private final Path path;

    EnvFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    String get(String key) {
        List<String> lines = TextFile.readLines(path);
        return value(lines.get(indexOf(lines, key)));
    }

    int getInt(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(path + ": " + key + " is not a number: " + value, e);
        }
    }

    void set(String key, String value) {
        if (value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException("A value of " + path + " must fit on one line: " + value);
        }
        List<String> lines = TextFile.readLines(path);
        lines.set(indexOf(lines, key), key + "=" + value);
        TextFile.writeLines(path, lines);
    }

    /** The one line that sets the key: none or two are an error, never a guess. */
    private int indexOf(List<String> lines, String key) {
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("#") && line.startsWith(key + "=")) {
                if (found >= 0) {
                    throw new IllegalStateException(path + " sets " + key + " twice");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalStateException(path + " does not set " + key);
        }
        return found;
    }

    private static String value(String line) {
        return line.substring(line.indexOf('=') + 1).strip();
    }
}
