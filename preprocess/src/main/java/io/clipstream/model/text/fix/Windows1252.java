package io.clipstream.model.text.fix;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/** Windows-1252 decoding as Python's codec does it: strict, or sloppy (undefined bytes kept as Latin-1). */
final class Windows1252 {

    private static final Charset CHARSET = Charset.forName("windows-1252");

    private Windows1252() {
    }

    /** Strict decoding, or null where a byte is undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D). */
    static String decodeStrictOrNull(byte[] bytes) {
        try {
            return CHARSET.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The sloppy reading of one Latin-1 character. */
    static char sloppy(char latin1) {
        return SingleByteEncoding.named("sloppy-windows-1252").decode(latin1);
    }
}
