package io.clipstream.model.text.fix;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A single-byte encoding as ftfy uses it to undo mojibake. "Sloppy" variants of the Windows code pages map
 * their undefined bytes to the Latin-1 character of the same number, and byte 0x1A to U+FFFD, so that
 * they can encode any text they could have produced.
 */
final class SingleByteEncoding {

    private static final char REPLACEMENT = '\uFFFD';
    private static final int SUBSTITUTE = 0x1A;

    /** The order in which ftfy tries them. */
    static final List<SingleByteEncoding> CHARMAP_ENCODINGS = List.of(
            plain("latin-1", "ISO-8859-1"),
            sloppy("sloppy-windows-1252", "windows-1252"),
            sloppy("sloppy-windows-1251", "windows-1251"),
            sloppy("sloppy-windows-1250", "windows-1250"),
            sloppy("sloppy-windows-1253", "windows-1253"),
            sloppy("sloppy-windows-1254", "windows-1254"),
            sloppy("sloppy-windows-1257", "windows-1257"),
            plain("iso-8859-2", "ISO-8859-2"),
            plain("macroman", "x-MacRoman"),
            plain("cp437", "IBM437"));

    private final String name;
    private final boolean sloppy;
    private final char[] decodeTable;
    private final Map<Character, Byte> encodeTable;

    private SingleByteEncoding(String name, boolean sloppy, char[] decodeTable) {
        this.name = name;
        this.sloppy = sloppy;
        this.decodeTable = decodeTable;
        this.encodeTable = new HashMap<>(512);
        for (int b = 255; b >= 0; b--) {
            encodeTable.putIfAbsent(decodeTable[b], (byte) b);
        }
    }

    private static SingleByteEncoding plain(String name, String charset) {
        return new SingleByteEncoding(name, false, decodeAll(charset));
    }

    private static SingleByteEncoding sloppy(String name, String charset) {
        char[] table = decodeAll(charset);
        for (int b = 0; b < 256; b++) {
            if (table[b] == REPLACEMENT) {
                table[b] = (char) b;
            }
        }
        table[SUBSTITUTE] = REPLACEMENT;
        return new SingleByteEncoding(name, true, table);
    }

    private static char[] decodeAll(String charset) {
        CharsetDecoder decoder = Charset.forName(charset).newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        char[] table = new char[256];
        for (int b = 0; b < 256; b++) {
            try {
                CharBuffer decoded = decoder.reset().decode(ByteBuffer.wrap(new byte[] {(byte) b}));
                table[b] = decoded.length() == 1 ? decoded.get(0) : REPLACEMENT;
            } catch (CharacterCodingException e) {
                table[b] = REPLACEMENT;
            }
        }
        return table;
    }

    static SingleByteEncoding named(String name) {
        return CHARMAP_ENCODINGS.stream().filter(e -> e.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown encoding " + name));
    }

    String name() {
        return name;
    }

    boolean isSloppy() {
        return sloppy;
    }

    char decode(int unsignedByte) {
        return decodeTable[unsignedByte];
    }

    /**
     * Whether every character of the text could have come from this encoding: ASCII other than 0x1A
     * passes through, everything else must be the decoding of byte 0x1A or of a byte of 0x80 and above.
     */
    boolean canEncode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80 && c != SUBSTITUTE) {
                continue;
            }
            Byte b = encodeTable.get(c);
            if (b == null || !((b & 0xFF) >= 0x80 || (b & 0xFF) == SUBSTITUTE)) {
                return false;
            }
        }
        return true;
    }

    /** Encodes text that {@link #canEncode} accepted. */
    byte[] encode(String text) {
        byte[] out = new byte[text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out[i] = c < 0x80 && c != SUBSTITUTE ? (byte) c : encodeTable.get(c);
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
