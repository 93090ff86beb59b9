package io.clipstream.model.text;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;

/**
 * GPT-2/CLIP's {@code bytes_to_unicode}: every byte gets a printable, non-space character, so that BPE
 * tokens can be written as plain strings. Printable Latin-1 bytes stand for themselves; the other 68 bytes
 * take U+0100 onwards, in byte order.
 */
final class ByteSymbols {

    /** Base vocabulary order: the printable bytes first, then the others, as the Python dict iterates. */
    private static final int[] BYTES_IN_VOCAB_ORDER = new int[256];
    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR = new int[0x144];
    /** Base vocabulary id of each byte. */
    private static final int[] ID_OF_BYTE = new int[256];

    static {
        int k = 0;
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable[b]) {
                BYTES_IN_VOCAB_ORDER[k++] = b;
                CHAR_OF_BYTE[b] = (char) b;
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                BYTES_IN_VOCAB_ORDER[k++] = b;
                CHAR_OF_BYTE[b] = (char) (256 + extra++);
            }
        }
        Arrays.fill(BYTE_OF_CHAR, -1);
        for (int i = 0; i < 256; i++) {
            int b = BYTES_IN_VOCAB_ORDER[i];
            ID_OF_BYTE[b] = i;
            BYTE_OF_CHAR[CHAR_OF_BYTE[b]] = b;
        }
    }

    private ByteSymbols() {
    }

    /** The 256 single-byte symbols in base vocabulary order. */
    static String[] alphabet() {
        String[] symbols = new String[256];
        for (int i = 0; i < 256; i++) {
            symbols[i] = String.valueOf(CHAR_OF_BYTE[BYTES_IN_VOCAB_ORDER[i]]);
        }
        return symbols;
    }

    static char charOf(int unsignedByte) {
        return CHAR_OF_BYTE[unsignedByte];
    }

    /** Base vocabulary index (0..255) of a byte; the same symbol with {@code </w>} is this plus 256. */
    static int baseIndexOf(int unsignedByte) {
        return ID_OF_BYTE[unsignedByte];
    }

    /** The symbol string of a word: its UTF-8 bytes, one symbol character each. */
    static String encode(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /** Symbol characters back to text; bytes that are not valid UTF-8 become U+FFFD, as Python's "replace". */
    static String decode(CharSequence symbols) {
        byte[] bytes = new byte[symbols.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = symbols.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("Not a byte symbol: U+" + Integer.toHexString(c));
            }
            bytes[i] = (byte) b;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException impossibleWithReplace) {
            throw new IllegalStateException(impossibleWithReplace);
        }
    }
}
