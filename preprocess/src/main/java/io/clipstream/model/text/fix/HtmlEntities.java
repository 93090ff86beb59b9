package io.clipstream.model.text.fix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTML character references, decoded the two ways CLIP's cleaning needs: Python's {@code html.unescape}
 * (lenient: no semicolon needed, longest-prefix names) and ftfy's stricter {@code unescape_html}
 * (semicolon required, plus upper-cased Latin names such as {@code &EACUTE;}).
 */
public final class HtmlEntities {

    private static final int MAX_CODE_POINT = 0x10FFFF;

    /** WHATWG names as Python's {@code html.entities.html5} keys them: "amp;" and, for legacy names, "amp". */
    private static final Map<String, String> HTML5 = loadHtml5();
    /** ftfy's table: "&name;" for every html5 name ending in ';', plus the upper-cased forms of lower-case names. */
    private static final Map<String, String> FTFY = buildFtfyTable();

    private HtmlEntities() {
    }

    /** Python's {@code html.unescape}. */
    public static String pythonUnescape(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, amp);
        int i = amp;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = matchPythonCharref(s, i + 1);
            if (end < 0) {
                out.append('&');
                i++;
            } else {
                out.append(replacePythonCharref(s.substring(i + 1, end)));
                i = end;
            }
        }
        return out.toString();
    }

    /** ftfy's {@code unescape_html}: only semicolon-terminated references of 1-24 ASCII alphanumerics. */
    public static String ftfyUnescape(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, amp);
        int i = amp;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int start = i + 1 < s.length() && s.charAt(i + 1) == '#' ? i + 2 : i + 1;
            int j = start;
            while (j < s.length() && isAsciiAlnum(s.charAt(j))) {
                j++;
            }
            int run = j - start;
            if (run < 1 || run > 24 || j >= s.length() || s.charAt(j) != ';') {
                out.append('&');
                i++;
                continue;
            }
            String reference = s.substring(i, j + 1);
            out.append(ftfyReplacement(reference));
            i = j + 1;
        }
        return out.toString();
    }

    private static String ftfyReplacement(String reference) {
        String known = FTFY.get(reference);
        if (known != null) {
            return known;
        }
        if (reference.startsWith("&#")) {
            String decoded = pythonUnescape(reference);
            // A partial decode (the semicolon left over) is not what ftfy wants.
            return decoded.indexOf(';') >= 0 ? reference : decoded;
        }
        return reference;
    }

    /**
     * Python's charref pattern {@code &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)}: returns the
     * end index of the match starting after the '&' at {@code from}, or -1.
     */
    private static int matchPythonCharref(String s, int from) {
        int n = s.length();
        if (from >= n) {
            return -1;
        }
        if (s.charAt(from) == '#') {
            int j = from + 1;
            if (j < n && (s.charAt(j) == 'x' || s.charAt(j) == 'X')) {
                int k = j + 1;
                while (k < n && Character.digit(s.charAt(k), 16) >= 0 && s.charAt(k) < 128) {
                    k++;
                }
                if (k > j + 1) {
                    return k < n && s.charAt(k) == ';' ? k + 1 : k;
                }
                return -1;
            }
            int k = j;
            while (k < n && s.charAt(k) >= '0' && s.charAt(k) <= '9') {
                k++;
            }
            if (k == j) {
                return -1;
            }
            return k < n && s.charAt(k) == ';' ? k + 1 : k;
        }
        int j = from;
        int count = 0;
        while (j < n && count < 32) {
            int cp = s.codePointAt(j);
            if (cp == '\t' || cp == '\n' || cp == '\f' || cp == ' ' || cp == '<' || cp == '&' || cp == '#'
                    || cp == ';') {
                break;
            }
            j += Character.charCount(cp);
            count++;
        }
        if (count == 0) {
            return -1;
        }
        return j < n && s.charAt(j) == ';' ? j + 1 : j;
    }

    private static String replacePythonCharref(String ref) {
        if (ref.charAt(0) == '#') {
            boolean hex = ref.charAt(1) == 'x' || ref.charAt(1) == 'X';
            String digits = stripSemicolon(ref.substring(hex ? 2 : 1));
            long num = parseCapped(digits, hex ? 16 : 10);
            return numericReplacement(num);
        }
        String whole = HTML5.get(ref);
        if (whole != null) {
            return whole;
        }
        // The longest known prefix wins, as the HTML standard says for names without a semicolon.
        int[] offsets = ref.codePoints().toArray();
        for (int x = offsets.length - 1; x > 1; x--) {
            int cut = ref.offsetByCodePoints(0, x);
            String prefix = HTML5.get(ref.substring(0, cut));
            if (prefix != null) {
                return prefix + ref.substring(cut);
            }
        }
        return "&" + ref;
    }

    private static String stripSemicolon(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ';') {
            end--;
        }
        return s.substring(0, end);
    }

    /** Parses a non-negative number, saturating above the Unicode range (Python's ints do not overflow). */
    private static long parseCapped(String digits, int radix) {
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            value = value * radix + Character.digit(digits.charAt(i), radix);
            if (value > MAX_CODE_POINT) {
                return MAX_CODE_POINT + 1L;
            }
        }
        return value;
    }

    private static String numericReplacement(long num) {
        String windows = PythonCharrefs.invalidCharref((int) Math.min(num, Integer.MAX_VALUE));
        if (windows != null) {
            return windows;
        }
        if ((num >= 0xD800 && num <= 0xDFFF) || num > MAX_CODE_POINT) {
            return "\uFFFD";
        }
        if (PythonCharrefs.isInvalidCodePoint((int) num)) {
            return "";
        }
        return Character.toString((int) num);
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static Map<String, String> loadHtml5() {
        Map<String, String> table = new HashMap<>(4096);
        try (InputStream in = HtmlEntities.class.getResourceAsStream("/io/clipstream/model/text/html5-entities.tsv")) {
            if (in == null) {
                throw new IllegalStateException("html5-entities.tsv missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                StringBuilder value = new StringBuilder(2);
                for (String hex : line.substring(tab + 1).split(" ")) {
                    value.appendCodePoint(Integer.parseInt(hex, 16));
                }
                table.put(line.substring(0, tab), value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(table);
    }

    private static Map<String, String> buildFtfyTable() {
        Map<String, String> table = new HashMap<>(4096);
        HTML5.forEach((name, value) -> {
            if (name.endsWith(";")) {
                table.put("&" + name, value);
            }
        });
        // Upper-cased names are decoded only where they cannot mean anything else.
        HTML5.forEach((name, value) -> {
            if (name.endsWith(";") && name.equals(name.toLowerCase(Locale.ROOT))) {
                String upper = "&" + name.toUpperCase(Locale.ROOT);
                if (pythonUnescape(upper).equals(upper)) {
                    table.put(upper, value.toUpperCase(Locale.ROOT));
                }
            }
        });
        return Map.copyOf(table);
    }
}
