package io.clipstream.model.image;

import io.clipstream.schemas.RejectReason;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The corpus of bad inputs: each is rejected with its reason and a message a person can act on. */
class ImageDecoderRejectionTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void emptyInputIsNotAnImage() {
        assertRejected(RejectReason.NOT_AN_IMAGE, new byte[0], "empty");
    }

    @Test
    void textIsNotAnImage() {
        assertRejected(RejectReason.NOT_AN_IMAGE,
                "BM, but a text file: hello, world\n".repeat(4).getBytes(StandardCharsets.UTF_8), "signature");
    }

    @Test
    void wrongMagicIsNotAnImage() {
        byte[] png = PreprocessCase.bytes("chelsea.png");
        png[1] = 'Q';
        assertRejected(RejectReason.NOT_AN_IMAGE, png, "signature");
    }

    @Test
    void recognisedButUndecodableFormatsAreUnsupported() {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0};
        byte[] heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1'};
        assertRejected(RejectReason.UNSUPPORTED_IMAGE_FORMAT, tiff, "TIFF");
        assertRejected(RejectReason.UNSUPPORTED_IMAGE_FORMAT, heic, "HEIF");
    }

    @Test
    void losslessJpegIsUnsupported() {
        byte[] jpeg = withFrameMarker(smallJpeg(), 0xC3);
        assertRejected(RejectReason.UNSUPPORTED_IMAGE_FORMAT, jpeg, "SOF3");
    }

    @Test
    void truncatedJpegIsCorrupt() {
        byte[] jpeg = PreprocessCase.bytes("coffee.jpg");
        assertRejected(RejectReason.CORRUPT_IMAGE, Arrays.copyOf(jpeg, jpeg.length / 2), "truncated");
        // Cut inside the header segments, before any image data.
        assertRejected(RejectReason.CORRUPT_IMAGE, Arrays.copyOf(jpeg, 100), "truncated");
        // Whole but for the final end-of-image marker.
        assertRejected(RejectReason.CORRUPT_IMAGE, Arrays.copyOf(jpeg, jpeg.length - 2), "truncated");
    }

    @Test
    void truncatedPngIsCorrupt() {
        byte[] png = PreprocessCase.bytes("chelsea.png");
        assertRejected(RejectReason.CORRUPT_IMAGE, Arrays.copyOf(png, png.length / 2), "PNG");
        assertRejected(RejectReason.CORRUPT_IMAGE, Arrays.copyOf(png, 20), "PNG");
    }

    @Test
    void pngWithGarbledImageDataIsCorrupt() {
        byte[] scanlines = new byte[32 * (1 + 32 * 3)];
        byte[] png = TestImages.png(32, 32, 8, 2, scanlines);
        int idat = indexOf(png, "IDAT".getBytes(StandardCharsets.US_ASCII));
        for (int i = idat + 4; i < idat + 14; i++) {
            png[i] = (byte) 0xA5; // the zlib stream header and first deflate block
        }
        assertRejected(RejectReason.CORRUPT_IMAGE, png, "PNG");
    }

    @Test
    void pngChunkWithAWrongCrcIsCorruptAndNamed() {
        // Pillow: "broken PNG file (bad header checksum in b'IHDR')". The JDK's reader never checks CRCs.
        byte[] badHeader = TestImages.png(32, 32, 1);
        badHeader[29] ^= 0x01; // the IHDR CRC follows its 13 data bytes
        assertRejected(RejectReason.CORRUPT_IMAGE, badHeader, "IHDR");

        byte[] badData = TestImages.png(32, 32, 1);
        int idat = indexOf(badData, "IDAT".getBytes(StandardCharsets.US_ASCII));
        int length = java.nio.ByteBuffer.wrap(badData, idat - 4, 4).getInt();
        badData[idat + 4 + length] ^= 0x01;
        assertRejected(RejectReason.CORRUPT_IMAGE, badData, "IDAT");
    }

    @Test
    void pngHeaderClaiming60000SquaredIsRejectedBeforeAnyAllocation() {
        // 3.6 Gpx: decoding would need ~10.8 GB. Only the header may be read.
        byte[] bomb = TestImages.png(60_000, 60_000, 8, 2, new byte[1 + 60_000 * 3]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.decode(bomb));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(RejectReason.IMAGE_TOO_MANY_PIXELS, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("60000x60000"), e.getMessage());
        assertTrue(allocated < 16L << 20, "allocated " + allocated + " bytes while rejecting");
        System.out.println("PNG 60000x60000 header: " + e.reason() + " (" + e.getMessage() + "), "
                + allocated / 1024 + " KiB allocated");
    }

    @Test
    void jpegFrameClaimingTooManyPixelsIsRejected() {
        byte[] jpeg = smallJpeg();
        int sof = sofOffset(jpeg);
        jpeg[sof + 5] = (byte) 0xFD;          // height 65000
        jpeg[sof + 6] = (byte) 0xE8;
        jpeg[sof + 7] = (byte) 0xFD;          // width 65000
        jpeg[sof + 8] = (byte) 0xE8;
        assertRejected(RejectReason.IMAGE_TOO_MANY_PIXELS, jpeg, "65000x65000");
    }

    @Test
    void gifWithoutFramesIsCorrupt() {
        byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 16, 0, 16, 0, 0, 0, 0, 0x3B}; // screen, no image, trailer
        assertRejected(RejectReason.CORRUPT_IMAGE, gif, "no image frame");
    }

    @Test
    void imageBelowTheMinimumSideIsTooSmall() {
        byte[] onePixel = TestImages.png(1, 1, 8, 2, new byte[] {0, 10, 20, 30});
        assertRejected(RejectReason.IMAGE_TOO_SMALL, onePixel, "1x1");
        byte[] thin = TestImages.encode(new BufferedImage(400, 15, BufferedImage.TYPE_3BYTE_BGR), "png");
        assertRejected(RejectReason.IMAGE_TOO_SMALL, thin, "400x15");
    }

    @Test
    void inputOverTheByteLimitIsRejectedBeforeDecoding() {
        ImageDecoder strict = new ImageDecoder(ImageLimits.DEFAULT.withMaxBytes(1000));
        byte[] png = PreprocessCase.bytes("chelsea.png");
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> strict.decode(png));
        assertEquals(RejectReason.IMAGE_TOO_MANY_BYTES, e.reason());
    }

    @Test
    void inspectAppliesTheSameLimitsWithoutDecoding() throws InvalidImageException {
        byte[] bomb = TestImages.png(60_000, 60_000, 8, 2, new byte[0]);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.inspect(bomb));
        assertEquals(RejectReason.IMAGE_TOO_MANY_PIXELS, e.reason());
        assertEquals(new ImageInfo(ImageFormat.JPEG, 600, 400), decoder.inspect(PreprocessCase.bytes("coffee.jpg")));
    }

    private void assertRejected(RejectReason reason, byte[] input, String messagePart) {
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.decode(input));
        System.out.printf("%-24s -> %s: %s%n", describe(input), e.reason(), e.getMessage());
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' lacks " + messagePart);
        assertFalse(e.getMessage().isBlank());
    }

    private static String describe(byte[] input) {
        return input.length + " bytes " + ImageFormat.sniff(input).map(Enum::name).orElse("?");
    }

    private static byte[] smallJpeg() {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR);
        return TestImages.jpeg(image);
    }

    private static byte[] withFrameMarker(byte[] jpeg, int marker) {
        jpeg[sofOffset(jpeg) + 1] = (byte) marker;
        return jpeg;
    }

    /** Offset of the 0xFF of the SOF0 segment; its height is at +5, its width at +7. */
    private static int sofOffset(byte[] jpeg) {
        int i = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
        if (i < 0) {
            throw new IllegalStateException("no SOF0");
        }
        return i;
    }

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
