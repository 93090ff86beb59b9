package io.clipstream.model.image;

import io.clipstream.schemas.RejectReason;

import java.util.zip.CRC32;

/**
 * Verifies the CRC of every complete PNG chunk up to IEND. The JDK's PNG reader ignores CRCs, where Pillow refuses a
 * damaged header ("broken PNG file"); a wrong CRC means the bytes are not what their writer wrote. Stricter than
 * Pillow in one way: Pillow skips the CRCs of IDAT and later chunks, this checks them too. A chunk cut short by the
 * end of the data is left to the decoder, which reports the truncation.
 */
final class PngChunks {

    private static final int SIGNATURE = 8;

    private PngChunks() {
    }

    static void verify(byte[] png) throws InvalidImageException {
        CRC32 crc = new CRC32();
        long pos = SIGNATURE;
        while (pos + 12 <= png.length) {
            int at = (int) pos;
            long length = u32(png, at);
            if (pos + 12 + length > png.length) {
                return;
            }
            int dataEnd = at + 8 + (int) length;
            crc.reset();
            crc.update(png, at + 4, 4 + (int) length);
            long stored = u32(png, dataEnd);
            String type = typeName(png, at + 4);
            if (crc.getValue() != stored) {
                throw new InvalidImageException(RejectReason.CORRUPT_IMAGE, String.format(
                        "PNG chunk %s at byte %d has a wrong CRC (stored %08x, computed %08x): the file is damaged",
                        type, at, stored, crc.getValue()));
            }
            if (type.equals("IEND")) {
                return;
            }
            pos += 12 + length;
        }
    }

    private static long u32(byte[] data, int at) {
        return (data[at] & 0xffL) << 24 | (data[at + 1] & 0xff) << 16 | (data[at + 2] & 0xff) << 8 | data[at + 3] & 0xff;
    }

    /** The four type bytes as text, non-letters escaped: a damaged file may carry anything there. */
    private static String typeName(byte[] data, int at) {
        StringBuilder name = new StringBuilder(4);
        for (int i = at; i < at + 4; i++) {
            int b = data[i] & 0xff;
            name.append((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ? String.valueOf((char) b)
                    : String.format("\\x%02x", b));
        }
        return name.toString();
    }
}
