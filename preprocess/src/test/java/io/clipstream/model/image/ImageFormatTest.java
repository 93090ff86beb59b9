package io.clipstream.model.image;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFormatTest {

    @Test
    void sniffsTheDecodableFormats() {
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.sniff(PreprocessCase.bytes("coffee.jpg")));
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.sniff(PreprocessCase.bytes("tiny.png")));
        assertEquals(Optional.of(ImageFormat.GIF), ImageFormat.sniff(ascii("GIF89a\u0001\u0000\u0001\u0000")));
        assertEquals(Optional.of(ImageFormat.GIF), ImageFormat.sniff(ascii("GIF87a\u0001\u0000\u0001\u0000")));
        assertEquals(Optional.of(ImageFormat.WEBP), ImageFormat.sniff(ascii("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ")));
        byte[] bmp = new byte[54];
        bmp[0] = 'B';
        bmp[1] = 'M';
        bmp[14] = 40; // BITMAPINFOHEADER
        assertEquals(Optional.of(ImageFormat.BMP), ImageFormat.sniff(bmp));
        for (ImageFormat format : new ImageFormat[] {ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.GIF,
                ImageFormat.BMP, ImageFormat.WEBP}) {
            assertTrue(format.decodable(), format.name());
        }
    }

    @Test
    void recognisesFormatsItDoesNotDecode() {
        assertEquals(Optional.of(ImageFormat.TIFF), ImageFormat.sniff(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8}));
        assertEquals(Optional.of(ImageFormat.AVIF), ImageFormat.sniff(ascii("\u0000\u0000\u0000\u001cftypavif")));
        assertEquals(Optional.of(ImageFormat.HEIF), ImageFormat.sniff(ascii("\u0000\u0000\u0000\u0018ftypmif1")));
        assertEquals(Optional.of(ImageFormat.PSD), ImageFormat.sniff(ascii("8BPS\u0000\u0001")));
        assertFalse(ImageFormat.TIFF.decodable());
    }

    @Test
    void shortOrForeignBytesAreNoImage() {
        assertEquals(Optional.empty(), ImageFormat.sniff(new byte[0]));
        assertEquals(Optional.empty(), ImageFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8}));
        assertEquals(Optional.empty(), ImageFormat.sniff(ascii("BMW is a car, not a bitmap file header")));
        assertEquals(Optional.empty(), ImageFormat.sniff(ascii("RIFF\u0000\u0000\u0000\u0000WAVEfmt ")));
        assertEquals(Optional.empty(), ImageFormat.sniff(ascii("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
