package io.clipstream.model.text.fix;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A fixed-length byte regex: alternatives of byte classes, tried in order as Python's {@code re} would.
 * Each alternative is written as classes like {@code "[c2-df][1a 3f]"}, in hex, a space between members.
 */
final class BytePattern {

    private final List<boolean[][]> alternatives;

    private BytePattern(List<boolean[][]> alternatives) {
        this.alternatives = alternatives;
    }

    static BytePattern of(String... alternatives) {
        List<boolean[][]> parsed = new ArrayList<>();
        for (String alternative : alternatives) {
            parsed.add(parseAlternative(alternative));
        }
        return new BytePattern(parsed);
    }

    /** Length of the first alternative matching at {@code at}, or 0. */
    int matchAt(byte[] bytes, int at) {
        for (boolean[][] classes : alternatives) {
            if (at + classes.length > bytes.length) {
                continue;
            }
            boolean matched = true;
            for (int k = 0; k < classes.length && matched; k++) {
                matched = classes[k][bytes[at + k] & 0xFF];
            }
            if (matched) {
                return classes.length;
            }
        }
        return 0;
    }

    boolean find(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (matchAt(bytes, i) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Like {@code re.sub}: every non-overlapping match, left to right, replaced by {@code replacement(match)}. */
    byte[] replaceAll(byte[] bytes, UnaryOperator<byte[]> replacement) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            int length = matchAt(bytes, i);
            if (length > 0) {
                byte[] match = new byte[length];
                System.arraycopy(bytes, i, match, 0, length);
                out.writeBytes(replacement.apply(match));
                i += length;
            } else {
                out.write(bytes[i]);
                i++;
            }
        }
        return out.toByteArray();
    }

    private static boolean[][] parseAlternative(String alternative) {
        List<boolean[]> classes = new ArrayList<>();
        int i = 0;
        while (i < alternative.length()) {
            int close = alternative.indexOf(']', i);
            boolean[] members = new boolean[256];
            for (String member : alternative.substring(i + 1, close).split(" ")) {
                int dash = member.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? member : member.substring(0, dash), 16);
                int hi = dash < 0 ? lo : Integer.parseInt(member.substring(dash + 1), 16);
                for (int b = lo; b <= hi; b++) {
                    members[b] = true;
                }
            }
            classes.add(members);
            i = close + 1;
        }
        return classes.toArray(new boolean[0][]);
    }
}
