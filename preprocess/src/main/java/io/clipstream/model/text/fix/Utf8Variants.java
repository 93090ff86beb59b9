package io.clipstream.model.text.fix;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8, and ftfy's "utf-8-variants": UTF-8 that also accepts CESU-8 surrogate pairs
 * (ED A0-AF xx ED B0-BF xx) and Java's modified encoding of U+0000 (C0 80).
 */
final class Utf8Variants {

    private Utf8Variants() {
    }

    static String decodeStrict(byte[] bytes, int from, int to) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, from, to - from))
                .toString();
    }

    static String decodeVariants(byte[] bytes) throws CharacterCodingException {
        StringBuilder out = new StringBuilder(bytes.length);
        int plainStart = 0;
        int i = 0;
        while (i < bytes.length) {
            if (isCesuPairAt(bytes, i)) {
                out.append(decodeStrict(bytes, plainStart, i));
                int high = 0xD000 | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F);
                int low = 0xD000 | ((bytes[i + 4] & 0x3F) << 6) | (bytes[i + 5] & 0x3F);
                out.append((char) high).append((char) low);
                i += 6;
                plainStart = i;
            } else if ((bytes[i] & 0xFF) == 0xC0 && i + 1 < bytes.length && (bytes[i + 1] & 0xFF) == 0x80) {
                out.append(decodeStrict(bytes, plainStart, i)).append('\0');
                i += 2;
                plainStart = i;
            } else {
                i++;
            }
        }
        out.append(decodeStrict(bytes, plainStart, bytes.length));
        return out.toString();
    }

    private static boolean isCesuPairAt(byte[] b, int i) {
        return i + 5 < b.length
                && (b[i] & 0xFF) == 0xED && in(b[i + 1], 0xA0, 0xAF) && in(b[i + 2], 0x80, 0xBF)
                && (b[i + 3] & 0xFF) == 0xED && in(b[i + 4], 0xB0, 0xBF) && in(b[i + 5], 0x80, 0xBF);
    }

    private static boolean in(byte b, int lo, int hi) {
        int v = b & 0xFF;
        return v >= lo && v <= hi;
    }
}
