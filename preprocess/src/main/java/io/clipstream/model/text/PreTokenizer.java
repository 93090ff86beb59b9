package io.clipstream.model.text;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's word splitter, a hand-written scanner with the semantics of the {@code regex}-module pattern
 * {@code <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}
 * (IGNORECASE, findall): at each position the first alternative that matches wins, whitespace is skipped.
 * A scanner works on code points, so characters outside the BMP are classified as one character, and it
 * cannot backtrack.
 */
final class PreTokenizer {

    static final String START_OF_TEXT = "<|startoftext|>";
    static final String END_OF_TEXT = "<|endoftext|>";
    private static final String[] CONTRACTIONS = {"s", "t", "re", "ve", "m", "ll", "d"};

    private PreTokenizer() {
    }

    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            int end = matchAt(text, i, cp);
            if (end > i) {
                words.add(text.substring(i, end));
                i = end;
            } else {
                i += Character.charCount(cp);
            }
        }
        return words;
    }

    /** End of the match at {@code i}, or {@code i} when nothing matches (whitespace). */
    private static int matchAt(String text, int i, int cp) {
        if (cp == '<') {
            int special = matchIgnoringCase(text, i, START_OF_TEXT);
            if (special < 0) {
                special = matchIgnoringCase(text, i, END_OF_TEXT);
            }
            if (special > 0) {
                return special;
            }
        } else if (cp == '\'') {
            for (String suffix : CONTRACTIONS) {
                int end = matchIgnoringCase(text, i + 1, suffix);
                if (end > 0) {
                    return end;
                }
            }
        }
        if (PythonChars.isLetter(cp)) {
            return runEnd(text, i, Run.LETTERS);
        }
        if (PythonChars.isNumber(cp)) {
            return i + Character.charCount(cp);
        }
        if (!PythonChars.isRegexSpace(cp)) {
            return runEnd(text, i, Run.OTHERS);
        }
        return i;
    }

    private enum Run { LETTERS, OTHERS }

    private static int runEnd(String text, int i, Run run) {
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            boolean member = run == Run.LETTERS ? PythonChars.isLetter(cp)
                    : !PythonChars.isRegexSpace(cp) && !PythonChars.isLetter(cp) && !PythonChars.isNumber(cp);
            if (!member) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** Case-insensitive literal match of an ASCII lower-case pattern; -1 when it does not match. */
    private static int matchIgnoringCase(String text, int at, String pattern) {
        if (at + pattern.length() > text.length()) {
            return -1;
        }
        for (int k = 0; k < pattern.length(); k++) {
            if (!sameIgnoringCase(text.charAt(at + k), pattern.charAt(k))) {
                return -1;
            }
        }
        return at + pattern.length();
    }

    /**
     * Simple case folding, as the {@code regex} module applies it: besides the ASCII pairs, only the long s
     * (U+017F) folds to one of the letters these patterns use.
     */
    private static boolean sameIgnoringCase(char c, char lower) {
        return c == lower || c == Character.toUpperCase(lower) || (lower == 's' && c == '\u017F');
    }
}
