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
    private final Pattern listing;

    ComponentLine(Path kustomization, String component) {
        this.kustomization = kustomization;
        this.listing = Pattern.compile("^(\\s*)(#\\s*)?(- " + Pattern.quote(component) + ")\\s*$");
    }

    boolean active() {
        return find(TextFile.readLines(kustomization)).match().group(2) == null;
    }

    void setActive(boolean active) {
        List<String> lines = TextFile.readLines(kustomization);
        Entry entry = find(lines);
        lines.set(entry.index(), entry.match().group(1) + (active ? "" : "# ") + entry.match().group(3));
        TextFile.writeLines(kustomization, lines);
    }

    /** The line and its match: groups 1 indentation, 2 the comment mark if any, 3 the list entry. */
    private record Entry(int index, Matcher match) {
    }

    /** The one line listing the component: none or two are an error, never a guess. */
    private Entry find(List<String> lines) {
        Entry found = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = listing.matcher(lines.get(i));
            if (m.matches()) {
                if (found != null) {
                    throw new IllegalStateException(kustomization + " lists " + listing.pattern() + " twice");
                }
                found = new Entry(i, m);
            }
        }
        if (found == null) {
            throw new IllegalStateException(kustomization + " has no line (active or commented out) matching "
                    + listing.pattern());
        }
        return found;
    }
}
