package io.clipstream.model.text.fix;

import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ftfy's {@code decode_inconsistent_utf8}: runs of characters that look like UTF-8 read as a single-byte
 * encoding, fixed one run at a time when the whole text has no consistent encoding.
 *
 * <p>The clue classes are derived from the code pages that produce such mojibake rather than listed by
 * hand: a lead byte of a 2-, 3- or 4-byte sequence, or a continuation byte, as decoded by any of them.
 */
final class InconsistentUtf8 {

    private static final List<String> CLUE_ENCODINGS = List.of(
            "latin-1", "sloppy-windows-1250", "sloppy-windows-1251", "sloppy-windows-1252", "sloppy-windows-1253",
            "sloppy-windows-1254", "sloppy-windows-1257");

    /** Continuation characters that do not stand for themselves next to mojibake: not spaces, dashes, quotes. */
    private static final String SELF_STANDING = " \u2013\u2014\u2015\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026";

    static final Pattern DETECTOR = buildDetector();

    private InconsistentUtf8() {
    }

    /** Fixes each detected run that is itself bad and shorter than the text, with {@code fixEncoding}. */
    static String decode(String text, UnaryOperator<String> fixEncoding) {
        Matcher m = DETECTOR.matcher(text);
        return m.replaceAll(match -> {
            String run = match.group();
            String fixed = run.length() < text.length() && MojibakeHeuristic.isBad(run) ? fixEncoding.apply(run) : run;
            return Matcher.quoteReplacement(fixed);
        });
    }

    private static Pattern buildDetector() {
        TreeSet<Character> firstOf2 = decodedRange(0xC2, 0xDF);
        TreeSet<Character> firstOf3 = decodedRange(0xE0, 0xEF);
        TreeSet<Character> firstOf4 = decodedRange(0xF0, 0xF0);
        firstOf4.addAll(decodedRange(0xF3, 0xF3));
        TreeSet<Character> continuation = decodedRange(0x80, 0xBF);
        for (char c = 0x80; c <= 0xBF; c++) {
            continuation.add(c);
        }
        TreeSet<Character> strict = new TreeSet<>(continuation);
        continuation.add(' ');
        for (char c : SELF_STANDING.toCharArray()) {
            strict.remove(c);
        }
        String cont = cls(continuation);
        String regex = "(?<!" + cls(strict) + ")(?:"
                + cls(firstOf2) + cont
                + "|" + cls(firstOf3) + cont + "{2}"
                + "|" + cls(firstOf4) + cont + "{3})+";
        return Pattern.compile(regex);
    }

    private static TreeSet<Character> decodedRange(int from, int to) {
        TreeSet<Character> chars = new TreeSet<>();
        for (String name : CLUE_ENCODINGS) {
            SingleByteEncoding encoding = SingleByteEncoding.named(name);
            for (int b = from; b <= to; b++) {
                char c = encoding.decode(b);
                // Undefined bytes (a sloppy codec's Latin-1 stand-ins) are not clues of that code page.
                if (c != '\uFFFD' && !(encoding.isSloppy() && c == b && b >= 0x80 && b <= 0x9F)) {
                    chars.add(c);
                }
            }
        }
        return chars;
    }

    private static String cls(TreeSet<Character> chars) {
        StringBuilder sb = new StringBuilder("[");
        for (char c : chars) {
            sb.append(String.format("\\x{%x}", (int) c));
        }
        return sb.append(']').toString();
    }
}
