package io.clipstream.model.text.fix;

import java.util.List;

/**
 * ftfy's {@code is_bad}: text looks like mojibake when it holds one of the unlikely juxtapositions below,
 * built from the few hundred characters that UTF-8 mojibake produces in the encodings ftfy knows.
 *
 * <p>ftfy writes this as one regex. Java's regex engine tests a class of scattered characters as a chain
 * of predicates, which made this check cost hundreds of microseconds per caption, so the alternatives are
 * matched here as sequences of bit-set classes.
 */
final class MojibakeHeuristic {

    // Character categories (ftfy's MOJIBAKE_CATEGORIES), as regex class contents.
    private static final String COMMON = "\u00a0\u00ad\u00b7\u00b4\u2013\u2014\u2015\u2026\u2019";
    private static final String C1 = "\u0080-\u009f";
    private static final String BAD = "\u00a6\u00a4\u00a8\u00ac\u00af\u00b8\u0192\u02c6\u02c7\u02d8\u02db\u02dc"
            + "\u2020\u2021\u2030\u2310\u25ca\ufffd\u00aa\u00ba";
    private static final String LAW = "\u00b6\u00a7";
    private static final String CURRENCY = "\u00a2\u00a3\u00a5\u20a7\u20ac";
    private static final String START_PUNCTUATION = "\u00a1\u00ab\u00bf\u00a9\u0384\u0385\u2018\u201a\u201c"
            + "\u201e\u2022\u2039\uf8ff";
    private static final String END_PUNCTUATION = "\u00ae\u00bb\u02dd\u201d\u203a\u2122";
    private static final String NUMERIC = "\u00b2\u00b3\u00b9\u00b1\u00bc\u00bd\u00be\u00d7\u00b5\u00f7\u2044"
            + "\u2202\u2206\u220f\u2211\u221a\u221e\u2229\u222b\u2248\u2260\u2261\u2264\u2265\u2116";
    private static final String KAOMOJI = "\u00d2-\u00d6\u00d9-\u00dc\u00f2-\u00f6\u00f8-\u00fc\u0150\u014c\u016a"
            + "\u0172\u00b0";
    private static final String UPPER_ACCENTED = "\u00c0-\u00d1\u00d8\u00dc\u00dd\u0102\u0100\u0104\u0106\u010c"
            + "\u010e\u0110\u0118\u011a\u0112\u0116\u011e\u0122\u0130\u012a\u0136\u0139\u013d\u0141\u013b\u0143"
            + "\u0147\u0145\u0152\u0158\u015a\u015e\u0160\u0162\u0164\u016e\u0170\u0178\u0179\u017b\u017d\u0490";
    private static final String LOWER_ACCENTED = "\u00df\u00e0-\u00f1\u0103\u0105\u0101\u0107\u010d\u010f\u0111"
            + "\u0119\u011b\u0113\u0117\u011f\u0123\u012f\u012b\u0137\u013a\u013e\u0142\u013c\u0153\u0155\u015b"
            + "\u015f\u0161\u0165\u00fc\u017a\u017c\u017e\u0491\ufb01\ufb02";
    private static final String UPPER_COMMON = "\u00de\u0391-\u03a9\u0386\u0388\u0389\u038a\u038c\u038e\u038f"
            + "\u03aa\u03ab\u0401-\u042f";
    private static final String LOWER_COMMON = "\u03b1-\u03c9\u03ac\u03ad\u03ae\u03af\u03b0\u0430-\u045f";
    private static final String BOX = "\u2502\u250c\u2510\u2518\u251c\u2524\u252c\u253c\u2550-\u256c\u2580\u2584"
            + "\u2588\u258c\u2590\u2591\u2592\u2593";

    private static final CharClass PY_SPACE = CharClass.PYTHON_SPACE;
    private static final CharClass PY_WORD = CharClass.PYTHON_WORD;

    /** ftfy's {@code BADNESS_RE}, one alternative per sequence. */
    private static final List<Sequence> BADNESS = List.of(
            seq(c(C1)),
            seq(c(BAD, LOWER_ACCENTED, UPPER_ACCENTED, BOX, START_PUNCTUATION, END_PUNCTUATION, CURRENCY, NUMERIC, LAW),
                    c(BAD)),
            seq(c("a-zA-Z"), c(LOWER_COMMON, UPPER_COMMON), c(BAD)),
            seq(c(BAD),
                    c(LOWER_ACCENTED, UPPER_ACCENTED, BOX, START_PUNCTUATION, END_PUNCTUATION, CURRENCY, NUMERIC, LAW)),
            seq(c(LOWER_ACCENTED, LOWER_COMMON, BOX, END_PUNCTUATION, CURRENCY, NUMERIC), c(UPPER_ACCENTED)),
            seq(c(BOX, END_PUNCTUATION, CURRENCY, NUMERIC), c(LOWER_ACCENTED)),
            seq(c(LOWER_ACCENTED, BOX, END_PUNCTUATION), c(CURRENCY)),
            seq(PY_SPACE, c(UPPER_ACCENTED), c(CURRENCY)),
            seq(c(UPPER_ACCENTED, BOX), c(NUMERIC, LAW)),
            seq(c(LOWER_ACCENTED, UPPER_ACCENTED, BOX, CURRENCY, END_PUNCTUATION), c(START_PUNCTUATION), c(NUMERIC)),
            seq(c(LOWER_ACCENTED, UPPER_ACCENTED, CURRENCY, NUMERIC, BOX, LAW), c(END_PUNCTUATION),
                    c(START_PUNCTUATION)),
            seq(c(CURRENCY, NUMERIC, BOX), c(START_PUNCTUATION)),
            seq(c("a-z"), c(UPPER_ACCENTED), c(START_PUNCTUATION, CURRENCY)),
            seq(c(BOX), c(KAOMOJI)),
            seq(c(LOWER_ACCENTED, UPPER_ACCENTED, CURRENCY, NUMERIC, START_PUNCTUATION, END_PUNCTUATION, LAW), c(BOX)),
            seq(c(BOX), c(END_PUNCTUATION)),
            seq(c(LOWER_ACCENTED, UPPER_ACCENTED), c(START_PUNCTUATION, END_PUNCTUATION), PY_WORD),
            // The ligature œ when not followed by an unaccented Latin letter.
            seq(c("\u0152\u0153"), c("a-zA-Z").negated()),
            // Degree signs after capital letters.
            seq(c(UPPER_ACCENTED), c("\u00b0")),
            // Common Windows-1252 two-character mojibake not covered above.
            seq(c("\u00c2\u00c3\u00ce\u00d0"),
                    c("\u20ac\u0153\u0160\u0161\u00a2\u00a3\u0178\u017e\u00a0\u00ad\u00ae\u00a9\u00b0\u00b7\u00bb",
                            START_PUNCTUATION, END_PUNCTUATION, "\u2013\u2014\u00b4")),
            seq(c("\u00d7"), c("\u00b2\u00b3")),
            // Windows-1252 mojibake of Arabic: it takes the 'common' characters, so four characters are required.
            seq(c("\u00d8\u00d9"), c(COMMON, CURRENCY, BAD, NUMERIC, START_PUNCTUATION, "\u0178\u0160\u00ae\u00b0\u00b5\u00bb"),
                    c("\u00d8\u00d9"), c(COMMON, CURRENCY, BAD, NUMERIC, START_PUNCTUATION, "\u0178\u0160\u00ae\u00b0\u00b5\u00bb")),
            // Windows-1252 starts of three-byte sequences of some South Asian scripts.
            seq(c("\u00e0"), c("\u00b2\u00b5\u00b9\u00bc\u00bd\u00be")),
            // MacRoman mojibake.
            seq(c("\u221a"), c("\u00b1\u2202\u2020\u2260\u00ae\u2122\u00b4\u2264\u2265\u00a5\u00b5\u00f8")),
            seq(c("\u2248"), c("\u00b0\u00a2")),
            seq(c("\u201a"), c("\u00c4"), c("\u00ec\u00ee\u00ef\u00f2\u00f4\u00fa\u00f9\u00fb\u2020\u00b0\u00a2\u03c0")),
            seq(c("\u201a"), c("\u00e2\u00f3"), c("\u00e0\u00e4\u00b0\u00ea")),
            // Windows-1251 mojibake of characters in the U+2000 range.
            seq(c("\u0432"), c("\u0402")),
            // Windows-1251 mojibake of Latin-1 or Cyrillic: two characters may be legitimate, three are not.
            seq(c("\u0412\u0413\u0420\u0421"), c(C1, BAD, START_PUNCTUATION, END_PUNCTUATION, CURRENCY, "\u00b0\u00b5"),
                    c("\u0412\u0413\u0420\u0421")),
            // Windows-1251 over Latin-1 over Windows-1252, next to a Latin letter.
            seq(c("\u0413"), c("\u045e"), c("\u0412"), c("\u0402"), c("\u0412"), CharClass.ANY_BUT_NEWLINE, c("A-Za-z ")),
            // Windows-1252 encodings of '\u00e0' and '\u00e1', and of U+A0 itself.
            seq(c("\u00c3"), c("\u00a0\u00a1")),
            seq(c("a-z"), PY_SPACE.optional(), c("\u00c3\u00c2"), c(" ")),
            Sequence.atStart(c("\u00c3\u00c2"), c(" ")),
            // \u00c2 standing in front of the very character it encodes.
            seq(c("a-z.,?!", END_PUNCTUATION), c("\u00c2"), c(" ", START_PUNCTUATION, END_PUNCTUATION)),
            // Windows-1253 mojibake of characters in the U+2000 range.
            seq(c("\u03b2"), c("\u20ac"), c("\u2122\u00a0\u0386\u00ad\u00ae\u00b0")),
            // Windows-1253 mojibake of Latin-1 or Greek.
            seq(c("\u0392\u0393\u039e\u039f"), c(C1, BAD, START_PUNCTUATION, END_PUNCTUATION, CURRENCY, "\u00b0"),
                    c("\u0392\u0393\u039e\u039f")),
            // Windows-1257 mojibake of characters in the U+2000 range.
            seq(c("\u0101"), c("\u20ac")));

    private MojibakeHeuristic() {
    }

    static boolean isBad(String text) {
        int[] codePoints = text.codePoints().toArray();
        for (int at = 0; at < codePoints.length; at++) {
            for (Sequence sequence : BADNESS) {
                if (sequence.matchesAt(codePoints, at)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static CharClass c(String... members) {
        return CharClass.of(String.join("", members));
    }

    private static Sequence seq(CharClass... elements) {
        return Sequence.of(elements);
    }
}
