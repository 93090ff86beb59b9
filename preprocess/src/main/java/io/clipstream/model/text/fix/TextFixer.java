package io.clipstream.model.text.fix;

/**
 * The parts of ftfy 6.3's {@code fix_text} (default configuration) that CLIP's {@code basic_clean} relies on:
 * HTML unescaping, mojibake repair, C1 controls, Latin ligatures, character width, curly quotes, line
 * breaks, surrogates, terminal escapes, control characters and NFC, repeated until the text is stable.
 */
public final class TextFixer {

    /** ftfy fixes text in segments of at most this many characters, ending at line breaks. */
    private static final int MAX_SEGMENT = 1_000_000;

    private TextFixer() {
    }

    public static String fixText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        // ftfy's unescape_html="auto": a literal '<' means real HTML, so entities stay from then on.
        boolean unescapeHtml = true;
        int pos = 0;
        while (pos < text.length()) {
            int end = text.indexOf('\n', pos) + 1;
            if (end == 0) {
                end = text.length();
            }
            if (end - pos > MAX_SEGMENT) {
                end = pos + MAX_SEGMENT;
                if (Character.isLowSurrogate(text.charAt(end)) && Character.isHighSurrogate(text.charAt(end - 1))) {
                    end--;
                }
            }
            String segment = text.substring(pos, end);
            if (unescapeHtml && segment.indexOf('<') >= 0) {
                unescapeHtml = false;
            }
            out.append(fixSegment(segment, unescapeHtml));
            pos = end;
        }
        return out.toString();
    }

    private static String fixSegment(String text, boolean unescapeHtml) {
        while (true) {
            String original = text;
            if (unescapeHtml) {
                text = HtmlEntities.ftfyUnescape(text);
            }
            text = EncodingFixer.fixEncoding(text);
            text = CharacterFixes.fixC1Controls(text);
            text = CharacterFixes.fixLatinLigatures(text);
            text = CharacterFixes.fixCharacterWidth(text);
            text = CharacterFixes.uncurlQuotes(text);
            text = CharacterFixes.fixLineBreaks(text);
            text = CharacterFixes.fixSurrogates(text);
            text = CharacterFixes.removeTerminalEscapes(text);
            text = CharacterFixes.removeControlChars(text);
            text = CharacterFixes.normalizeNfc(text);
            if (text.equals(original)) {
                return text;
            }
        }
    }
}
