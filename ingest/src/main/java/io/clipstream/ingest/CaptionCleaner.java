package io.clipstream.ingest;

import io.clipstream.schemas.RejectReason;
import java.text.Normalizer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cleans a caption for training: Unicode NFC, HTML tags and entities removed, control characters removed,
 * whitespace collapsed; rejects invalid, empty and absurdly long captions; truncates long ones with a flag.
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
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u200B\\u2028\\u2029\\uFEFF]");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0\\u2000-\\u200A\\u202F\\u205F\\u3000]+");
    private static final Map<String, String> NAMED_ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("ndash", "–"), Map.entry("mdash", "—"),
            Map.entry("hellip", "…"), Map.entry("lsquo", "‘"), Map.entry("rsquo", "’"), Map.entry("ldquo", "“"),
            Map.entry("rdquo", "”"), Map.entry("copy", "©"), Map.entry("reg", "®"), Map.entry("trade", "™"));

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
        text = unescapeEntities(text);
        text = CONTROL.matcher(text).replaceAll(" ");
        text = WHITESPACE.matcher(text).replaceAll(" ").strip();
        text = Normalizer.normalize(text, Normalizer.Form.NFC);
        if (text.isEmpty()) {
            return new Invalid(RejectReason.EMPTY_CAPTION,
                    "caption is empty after removing HTML, control characters and whitespace");
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

    private static String unescapeEntities(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String body = m.group(1);
            String replacement;
            if (body.startsWith("#x") || body.startsWith("#X")) {
                replacement = codePoint(Integer.parseInt(body.substring(2), 16), m.group());
            } else if (body.startsWith("#")) {
                replacement = codePoint(Integer.parseInt(body.substring(1)), m.group());
            } else {
                replacement = NAMED_ENTITIES.getOrDefault(body, m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String codePoint(int value, String original) {
        return Character.isValidCodePoint(value) && value != 0 ? Character.toString(value) : original;
    }
}
