package io.clipstream.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteSymbolsTest {

    @Test
    void everyByteHasItsOwnVisibleSymbol() {
        String[] alphabet = ByteSymbols.alphabet();
        assertEquals(256, Set.copyOf(List.of(alphabet)).size());
        for (String symbol : alphabet) {
            assertFalse(Character.isWhitespace(symbol.charAt(0)) || Character.isISOControl(symbol.charAt(0)), symbol);
        }
        // GPT-2's well-known stand-ins: space is U+0120, newline U+010A; printable bytes are themselves.
        assertEquals('\u0120', ByteSymbols.charOf(' '));
        assertEquals('\u010a', ByteSymbols.charOf('\n'));
        assertEquals('a', ByteSymbols.charOf('a'));
        assertEquals("!", alphabet[0]);
        assertEquals(0, ByteSymbols.baseIndexOf('!'));
    }

    @Test
    void encodeAndDecodeAreInverse() {
        Set<String> seen = new HashSet<>();
        for (String text : List.of("plain", "caf\u00e9 \u65e5\u672c", "\ud83d\ude80!")) {
            String symbols = ByteSymbols.encode(text);
            assertEquals(text, ByteSymbols.decode(symbols));
            seen.add(symbols);
        }
        assertEquals(3, seen.size());
        // Bytes that are not UTF-8 decode to U+FFFD, as Python's errors="replace" does.
        assertEquals("\ufffd", ByteSymbols.decode(String.valueOf(ByteSymbols.charOf(0xFF))));
    }
}
