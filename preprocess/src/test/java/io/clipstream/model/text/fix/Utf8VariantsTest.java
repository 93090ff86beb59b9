package io.clipstream.model.text.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.CharacterCodingException;
import org.junit.jupiter.api.Test;

class Utf8VariantsTest {

    @Test
    void decodesCesu8SurrogatePairsAndJavasNul() throws CharacterCodingException {
        // U+1F600 as CESU-8 (two encoded surrogates), then C0 80 for U+0000, around plain UTF-8.
        byte[] bytes = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB8, (byte) 0x80,
            (byte) 0xC0, (byte) 0x80, (byte) 0xC3, (byte) 0xA9};
        assertEquals("a\ud83d\ude00\u0000\u00e9", Utf8Variants.decodeVariants(bytes));
    }

    @Test
    void rejectsWhatNoVariantAllows() {
        assertThrows(CharacterCodingException.class,
                () -> Utf8Variants.decodeVariants(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0xBD, 'x'}));
        assertThrows(CharacterCodingException.class,
                () -> Utf8Variants.decodeStrict(new byte[] {(byte) 0xC0, (byte) 0x80}, 0, 2));
    }
}
