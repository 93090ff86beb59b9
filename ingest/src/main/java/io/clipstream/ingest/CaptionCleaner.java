package io.clipstream.ingest;

import io.clipstream.model.text.fix.HtmlEntities;
import io.clipstream.schemas.RejectReason;
import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Cleans a caption for training: Unicode NFC, HTML tags and entities removed, control characters removed,
 * format characters that can disguise text (bidi controls, zero-width characters) removed, whitespace collapsed;
 * rejects invalid, empty and absurdly long captions, and captions with a word longer than what is kept; truncates
 * long ones with a flag.
 */
public final class CaptionCleaner {

    /** A clean caption, or why there is none. */
    public sealed interface Result {
    }

    public record Clean(String caption, boolean truncated) implements Result {
    }

    public record Invalid(RejectReason reason, String message) implements Result {
    }

    private static final Pattern TAG = Pattern.compile("<(?:[A-Za-z/!?][^<>]{0,2000})>");
    /** Control characters and invisible word or line breaks: each becomes a space. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u200B\\u2028\\u2029]");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0\\u2000-\\u200A\\u202F\\u205F\\u3000]+");

    private final int truncateAt;
    private final int rejectAbove;

    /**
     * @param truncateAt  longest clean caption kept, in code points (longer ones are cut, flagged)
     * @param rejectAbove longest raw caption accepted at all, in chars (longer is not a caption but a payload)
     */
    public CaptionCleaner(int truncateAt, int rejectAbove) {
        if (truncateAt < 1 || rejectAbove < truncateAt) {
            throw new IllegalArgumentException("need 1 <= truncateAt <= rejectAbove");
        }
        this.truncateAt = truncateAt;
        this.rejectAbove = rejectAbove;
    }

    public Result clean(String raw) {
        if (raw == null) {
            return new Invalid(RejectReason.EMPTY_CAPTION, "caption is missing");
        }
        if (raw.length() > rejectAbove) {
            return new Invalid(RejectReason.CAPTION_TOO_LONG,
                    "caption has " + raw.length() + " characters, more than the " + rejectAbove + " accepted");
        }
        // Avro decodes malformed UTF-8 to U+FFFD: a replacement character means the producer sent broken text.
        if (raw.indexOf('\uFFFD') >= 0) {
            return new Invalid(RejectReason.INVALID_CAPTION_ENCODING,
                    "caption is not valid UTF-8 (contains U+FFFD replacement characters)");
        }
        String text = Normalizer.normalize(raw, Normalizer.Form.NFC);
        text = TAG.matcher(text).replaceAll(" ");
        // Python's html.unescape, as CLIP's own basic_clean applies it: every HTML5 name and character reference.
        text = HtmlEntities.pythonUnescape(text);
        text = CONTROL.matcher(text).replaceAll(" ");
        text = withoutFormatCharacters(text);
        text = WHITESPACE.matcher(text).replaceAll(" ").strip();
        text = Normalizer.normalize(text, Normalizer.Form.NFC);
        if (text.isEmpty()) {
            return new Invalid(RejectReason.EMPTY_CAPTION,
                    "caption is empty after removing HTML, control characters and whitespace");
        }
        int longestWord = longestWord(text);
        if (longestWord > truncateAt) {
            // Whatever was kept would be a fragment of that one word: an identifier or encoded data (a hash,
            // base64), not a description. The rejection keeps the original; a truncated fragment would train noise.
            return new Invalid(RejectReason.CAPTION_TOO_LONG, "caption has a word of " + longestWord
                    + " characters (letters and digits with no space or punctuation), more than the " + truncateAt
                    + " a caption keeps: not a description");
        }
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints <= truncateAt) {
            return new Clean(text, false);
        }
        String cut = text.substring(0, text.offsetByCodePoints(0, truncateAt));
        int lastSpace = cut.lastIndexOf(' ');
        if (lastSpace > truncateAt / 2) {
            cut = cut.substring(0, lastSpace); // cut between words where that loses little
        }
        return new Clean(cut.strip(), true);
    }

    /**
     * Removes the invisible format characters (Unicode category Cf) that can make a caption read otherwise than it
     * is: bidi overrides, embeddings, isolates and marks (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F), soft
     * hyphens, word joiners, BOMs, and tag characters (U+E0000..U+E007F, which can carry hidden ASCII). Kept where
     * they are spelling: a zero-width joiner inside an emoji sequence, ZWJ/ZWNJ between letters of a script that
     * uses them (Persian, Indic; not Latin, where they only disguise a word), and the tag run of a subdivision flag
     * (U+1F3F4, tags, U+E007F). The model reads logical order, so dropping bidi controls loses no meaning.
     */
    static String withoutFormatCharacters(String text) {
        StringBuilder out = null;
        int n = text.length();
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean drop = false;
            if (cp == 0x1F3F4) {
                int end = flagTagsEnd(text, next);
                if (end > next) { // a well-formed flag: copy it whole
                    if (out != null) {
                        out.append(text, i, end);
                    }
                    i = end;
                    continue;
                }
            } else if (Character.getType(cp) == Character.FORMAT) {
                drop = !isSpellingJoiner(text, i, cp, next);
            }
            if (drop && out == null) {
                out = new StringBuilder(n).append(text, 0, i);
            } else if (!drop && out != null) {
                out.appendCodePoint(cp);
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }

    /** The end of tag characters closed by CANCEL TAG (U+E007F) from {@code from}, or {@code from} if none. */
    private static int flagTagsEnd(String text, int from) {
        int i = from;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (cp == 0xE007F) {
                return i > from ? i + 2 : from;
            }
            if (cp < 0xE0020 || cp > 0xE007E) {
                return from;
            }
            i += 2;
        }
        return from;
    }

    private static boolean isSpellingJoiner(String text, int at, int cp, int next) {
        if ((cp != 0x200C && cp != 0x200D) || at == 0 || next >= text.length()) {
            return false;
        }
        int before = text.codePointBefore(at);
        int after = text.codePointAt(next);
        if (cp == 0x200D && (Character.isExtendedPictographic(after))
                && (Character.isExtendedPictographic(before) || Character.isEmojiModifier(before) || before == 0xFE0F)) {
            return true;
        }
        return isNonLatinLetter(before) && isNonLatinLetter(after);
    }

    private static boolean isNonLatinLetter(int cp) {
        int type = Character.getType(cp);
        boolean letterOrMark = Character.isLetter(cp) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK;
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return letterOrMark && script != Character.UnicodeScript.LATIN && script != Character.UnicodeScript.COMMON;
    }

    /**
     * The longest run of letters, marks and digits, in code points: a word as scripts without spaces delimit it
     * too (Chinese and Japanese text has punctuation between its clauses).
     */
    private static int longestWord(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int type = Character.getType(cp);
            boolean wordChar = Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK
                    || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
            run = wordChar ? run + 1 : 0;
            longest = Math.max(longest, run);
            i += Character.charCount(cp);
        }
        return longest;
    }
}
