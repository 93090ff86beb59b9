package io.clipstream.model.text.fix;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * ftfy's {@code fix_encoding}: when text looks like mojibake (see {@link MojibakeHeuristic}), re-encode it
 * in the single-byte encoding it was wrongly decoded with and decode it again as UTF-8, until nothing
 * changes.
 */
public final class EncodingFixer {

    private EncodingFixer() {
    }

    public static String fixEncoding(String text) {
        while (true) {
            String fixed = fixOneStep(text);
            if (fixed.equals(text)) {
                return fixed;
            }
            text = fixed;
        }
    }

    private static String fixOneStep(String text) {
        if (text.isEmpty() || isAscii(text) || !MojibakeHeuristic.isBad(text)) {
            return text;
        }
        List<SingleByteEncoding> possible = new ArrayList<>();
        for (SingleByteEncoding encoding : SingleByteEncoding.CHARMAP_ENCODINGS) {
            if (!encoding.canEncode(text)) {
                continue;
            }
            possible.add(encoding);
            byte[] bytes = encoding.encode(text);
            // MacRoman is spared: an en dash then a space would look like an altered UTF-8 sequence.
            if (!encoding.name().equals("macroman") && ByteRepairs.ALTERED_UTF8.find(bytes)) {
                bytes = ByteRepairs.restoreByteA0(bytes);
            }
            if (encoding.isSloppy()) {
                bytes = ByteRepairs.replaceLossySequences(bytes);
            }
            try {
                return containsVariantMarker(bytes) ? Utf8Variants.decodeVariants(bytes)
                        : Utf8Variants.decodeStrict(bytes, 0, bytes.length);
            } catch (CharacterCodingException notUtf8) {
                // Try the next encoding.
            }
        }
        if (InconsistentUtf8.DETECTOR.matcher(text).find()) {
            String fixed = InconsistentUtf8.decode(text, EncodingFixer::fixEncoding);
            if (!fixed.equals(text)) {
                return fixed;
            }
        }
        // ftfy checks for "windows-1252" among the possible encodings here, a name its list never holds
        // (it has "sloppy-windows-1252"), so Latin-1 text always gets the strict Windows-1252 reading.
        if (possible.stream().anyMatch(e -> e.name().equals("latin-1"))) {
            String windows = Windows1252.decodeStrictOrNull(SingleByteEncoding.named("latin-1").encode(text));
            if (windows != null && !windows.equals(text)) {
                return windows;
            }
        }
        if (CharacterFixes.hasC1Controls(text)) {
            return CharacterFixes.fixC1Controls(text);
        }
        return text;
    }

    private static boolean containsVariantMarker(byte[] bytes) {
        for (byte b : bytes) {
            if ((b & 0xFF) == 0xED || (b & 0xFF) == 0xC0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
