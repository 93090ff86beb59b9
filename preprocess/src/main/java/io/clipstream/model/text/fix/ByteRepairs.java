package io.clipstream.model.text.fix;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** ftfy's byte-level repairs, applied to re-encoded mojibake before it is decoded again as UTF-8. */
final class ByteRepairs {

    private static final byte SPACE = 0x20;
    private static final byte NO_BREAK_SPACE = (byte) 0xA0;
    private static final byte[] REPLACEMENT_UTF8 = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    /** UTF-8 sequences that would be valid if a byte A0 had not been turned into a space. */
    static final BytePattern ALTERED_UTF8 = BytePattern.of(
            "[c2 c3 c5 ce d0 d9][20]",
            "[e2 e3][20][80-84 86-9f a1-bf]",
            "[e0-e3][80-84 86-9f a1-bf][20]",
            "[f0][20][80-bf][80-bf]",
            "[f0][80-bf][20][80-bf]",
            "[f0][80-bf][80-bf][20]");

    /** UTF-8 (and CESU-8) sequences with lost continuation bytes: 0x1A stands for a byte that became U+FFFD. */
    private static final BytePattern LOSSY_UTF8 = BytePattern.of(
            "[c2-df][1a]",
            "[c2-c3][3f]",
            "[ed][a0-af][1a 3f][ed][b0-bf][1a 3f 80-bf]",
            "[ed][a0-af][1a 3f 80-bf][ed][b0-bf][1a 3f]",
            "[e0-ef][1a 3f][1a 80-bf]",
            "[e0-ef][1a 80-bf][1a 3f]",
            "[f0-f4][1a 3f][1a 80-bf][1a 80-bf]",
            "[f0-f4][1a 80-bf][1a 3f][1a 80-bf]",
            "[f0-f4][1a 80-bf][1a 80-bf][1a 3f]",
            "[1a]");

    private ByteRepairs() {
    }

    /** Puts back the A0 bytes that were replaced by spaces, where that makes the bytes decode as UTF-8. */
    static byte[] restoreByteA0(byte[] bytes) {
        byte[] aGraveFixed = restoreAGraveWords(bytes);
        return ALTERED_UTF8.replaceAll(aGraveFixed, match -> {
            byte[] restored = Arrays.copyOf(match, match.length);
            for (int k = 0; k < restored.length; k++) {
                if (restored[k] == SPACE) {
                    restored[k] = NO_BREAK_SPACE;
                }
            }
            return restored;
        });
    }

    /**
     * "Ã la" was "à la": C3 followed by one space becomes C3 A0 and keeps the space, except before the
     * Portuguese contractions "às", "àquele", "àquela", "àquilo" (ftfy's {@code A_GRAVE_WORD_RE}).
     */
    private static byte[] restoreAGraveWords(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 4);
        int i = 0;
        while (i < bytes.length) {
            if ((bytes[i] & 0xFF) == 0xC3 && i + 1 < bytes.length && bytes[i + 1] == SPACE
                    && !followedByContraction(bytes, i + 2)) {
                out.write(0xC3);
                out.write(NO_BREAK_SPACE);
                out.write(SPACE);
                i += 2;
            } else {
                out.write(bytes[i]);
                i++;
            }
        }
        return out.toByteArray();
    }

    private static boolean followedByContraction(byte[] bytes, int at) {
        return startsWith(bytes, at, " ") || startsWith(bytes, at, "quele") || startsWith(bytes, at, "quela")
                || startsWith(bytes, at, "quilo") || startsWith(bytes, at, "s ");
    }

    private static boolean startsWith(byte[] bytes, int at, String ascii) {
        if (at + ascii.length() > bytes.length) {
            return false;
        }
        for (int k = 0; k < ascii.length(); k++) {
            if (bytes[at + k] != (byte) ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Replaces sequences that lost information in a sloppy codec with the UTF-8 bytes of U+FFFD. */
    static byte[] replaceLossySequences(byte[] bytes) {
        return LOSSY_UTF8.replaceAll(bytes, match -> REPLACEMENT_UTF8);
    }
}
