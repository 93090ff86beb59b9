package io.clipstream.schemas.serde;

import java.util.HexFormat;

/** Recognises Avro's single-object encoding: {@code C3 01} followed by an 8-byte little-endian fingerprint. */
public final class SingleObjectEncoding {

    public static final int HEADER_LENGTH = 10;

    private SingleObjectEncoding() {
    }

    /** True when the bytes start with the single-object marker and hold at least the header. */
    public static boolean isAvro(byte[] bytes) {
        return bytes != null && bytes.length >= HEADER_LENGTH && (bytes[0] & 0xFF) == 0xC3
                && (bytes[1] & 0xFF) == 0x01;
    }

    static String fingerprintHex(byte[] bytes) {
        return bytes.length < HEADER_LENGTH ? "?" : HexFormat.of().formatHex(bytes, 2, HEADER_LENGTH);
    }
}
