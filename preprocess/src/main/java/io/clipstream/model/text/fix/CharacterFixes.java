package io.clipstream.model.text.fix;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** ftfy's character-level fixers, each a pure String to String function. */
final class CharacterFixes {

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001b\\[[\\p{Nd};]*[a-zA-Z]");

    /** Latin ligatures and legacy digraphs that copy/paste leaves behind (not æ or œ, which are meant). */
    private static final String[][] LIGATURES = {
        {"\u0132", "IJ"}, {"\u0133", "ij"}, {"\u0149", "\u02bcn"},
        {"\u01f1", "DZ"}, {"\u01f2", "Dz"}, {"\u01f3", "dz"},
        {"\u01c4", "D\u017d"}, {"\u01c5", "D\u017e"}, {"\u01c6", "d\u017e"},
        {"\u01c7", "LJ"}, {"\u01c8", "Lj"}, {"\u01c9", "lj"},
        {"\u01ca", "NJ"}, {"\u01cb", "Nj"}, {"\u01cc", "nj"},
        {"\ufb00", "ff"}, {"\ufb01", "fi"}, {"\ufb02", "fl"}, {"\ufb03", "ffi"}, {"\ufb04", "ffl"},
        {"\ufb05", "\u017ft"}, {"\ufb06", "st"},
    };

    /** Halfwidth and fullwidth forms (U+FF01..U+FFEF) to their NFKC forms; U+3000 to a space. */
    private static final String[] WIDTH = buildWidthMap();

    private CharacterFixes() {
    }

    static boolean hasC1Controls(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && c <= 0x9F) {
                return true;
            }
        }
        return false;
    }

    /** C1 controls read as the Windows-1252 characters they stand for, as browsers do. */
    static String fixC1Controls(String text) {
        if (!hasC1Controls(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 0x80 && c <= 0x9F ? Windows1252.sloppy(c) : c);
        }
        return out.toString();
    }

    static String fixLatinLigatures(String text) {
        for (String[] ligature : LIGATURES) {
            if (text.contains(ligature[0])) {
                text = text.replace(ligature[0], ligature[1]);
            }
        }
        return text;
    }

    static String fixCharacterWidth(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String wide = c == '\u3000' ? " " : c >= 0xFF01 && c <= 0xFFEF ? WIDTH[c - 0xFF01] : null;
            if (wide != null && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                if (wide != null) {
                    out.append(wide);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    static String uncurlQuotes(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char straight = c == '\u02bc' || (c >= '\u2018' && c <= '\u201b') ? '\''
                    : c >= '\u201c' && c <= '\u201f' ? '"' : 0;
            if (straight != 0 && out == null) {
                out = new StringBuilder(text).delete(i, text.length());
            }
            if (out != null) {
                out.append(straight != 0 ? straight : c);
            }
        }
        return out == null ? text : out.toString();
    }

    static String fixLineBreaks(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n').replace('\u2029', '\n')
                .replace('\u0085', '\n');
    }

    /** Java strings hold surrogate pairs as such already; unpaired surrogates become U+FFFD. */
    static String fixSurrogates(String text) {
        if (!hasUnpairedSurrogate(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            out.appendCodePoint(cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? 0xFFFD : cp);
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    static String removeTerminalEscapes(String text) {
        return text.indexOf('\u001b') < 0 ? text : ANSI_ESCAPE.matcher(text).replaceAll("");
    }

    /** Controls with no visible effect: C0 except tab, LF, FF, CR; DEL; U+206A-206F; BOM; U+FFF9-FFFC. */
    static String removeControlChars(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean drop = c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
                    || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
            if (drop && out == null) {
                out = new StringBuilder(text).delete(i, text.length());
            }
            if (out != null && !drop) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    static String normalizeNfc(String text) {
        return Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
    }

    private static String[] buildWidthMap() {
        String[] map = new String[0xFFEF - 0xFF01 + 1];
        for (char c = 0xFF01; c <= 0xFFEF; c++) {
            String alternate = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC);
            map[c - 0xFF01] = alternate.equals(String.valueOf(c)) ? null : alternate;
        }
        return map;
    }
}
