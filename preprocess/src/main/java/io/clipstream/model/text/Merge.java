package io.clipstream.model.text;

/** One BPE merge rule: two adjacent symbols that become one. */
public record Merge(String left, String right) {

    public Merge {
        if (left.isEmpty() || right.isEmpty()) {
            throw new IllegalArgumentException("A merge joins two non-empty symbols");
        }
    }

    /** Parses a merges-file line, {@code "left right"}. */
    public static Merge parse(String line) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("Not a merge line (two symbols expected): '" + line + "'");
        }
        return new Merge(parts[0], parts[1]);
    }

    public String joined() {
        return left + right;
    }

    @Override
    public String toString() {
        return left + " " + right;
    }
}
