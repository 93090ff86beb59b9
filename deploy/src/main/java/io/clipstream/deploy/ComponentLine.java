package io.clipstream.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entry of an overlay's kustomization.yaml that lists one component, active ({@code - ../../components/x}) or
 * commented out ({@code # - ../../components/x}). Switching it touches that line only.
 */
final class ComponentLine {

    private final Path kustomization;
    private final Pattern entry;

    ComponentLine(Path kustomization, String component) {
        this.kustomization = kustomization;
        this.entry = Pattern.compile("^(\\s*)(#\\s*)?(- " + Pattern.quote(component) + ")\\s*$");
    }

    boolean active() {
        List<String> lines = TextFile.readLines(kustomization);
        Matcher m = entry.matcher(lines.get(indexOf(lines)));
        return m.matches() && m.group(2) == null;
    }

    void setActive(boolean active) {
        List<String> lines = TextFile.readLines(kustomization);
        int i = indexOf(lines);
        Matcher m = entry.matcher(lines.get(i));
        if (!m.matches()) {
            throw new IllegalStateException("unreachable: " + lines.get(i));
        }
        lines.set(i, m.group(1) + (active ? "" : "# ") + m.group(3));
        TextFile.writeLines(kustomization, lines);
    }

    private int indexOf(List<String> lines) {
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (entry.matcher(lines.get(i)).matches()) {
                if (found >= 0) {
                    throw new IllegalStateException(kustomization + " lists " + entry.pattern() + " twice");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalStateException(kustomization + " has no line (active or commented out) matching "
                    + entry.pattern());
        }
        return found;
    }
}
