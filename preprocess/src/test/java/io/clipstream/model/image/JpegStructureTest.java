package io.clipstream.model.image;

import io.clipstream.model.image.JpegStructure.JpegColorSpace;
import io.clipstream.schemas.RejectReason;
import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JpegStructureTest {

    @Test
    void infersTheColourSpaceAsLibjpegDoes() throws InvalidImageException {
        byte[] jfif = PreprocessCase.bytes("coffee.jpg");
        assertEquals(new JpegStructure(600, 400, JpegColorSpace.YCBCR, ExifOrientation.NORMAL),
                JpegStructure.parse(jfif));
        BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        assertSame(JpegColorSpace.GRAY, JpegStructure.parse(TestImages.jpeg(grey)).colorSpace());
        byte[] fourComponents = TestImages.jpeg(Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null));
        assertSame(JpegColorSpace.CMYK, JpegStructure.parse(fourComponents).colorSpace(), "4 components, no Adobe");
        assertSame(JpegColorSpace.YCCK,
                JpegStructure.parse(TestImages.withSegment(fourComponents, 0xEE, TestImages.adobe(2))).colorSpace());
        byte[] threeComponents = TestImages.jpeg(Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 3, null));
        assertSame(JpegColorSpace.RGB,
                JpegStructure.parse(TestImages.withSegment(threeComponents, 0xEE, TestImages.adobe(0))).colorSpace());
    }

    @Test
    void walksEveryScanOfAProgressiveJpeg() throws InvalidImageException, IOException {
        BufferedImage image = new BufferedImage(48, 40, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 48; x++) {
                image.setRGB(x, y, x * 5 << 16 | y * 6 << 8 | (x + y) * 2);
            }
        }
        byte[] progressive = progressiveJpeg(image);
        assertEquals(48, JpegStructure.parse(progressive).width());
        RgbImage decoded = new ImageDecoder(ImageLimits.DEFAULT.withMinSide(1)).decode(progressive);
        for (int[] at : new int[][] {{5, 5}, {20, 30}, {40, 10}}) {
            int expected = image.getRGB(at[0], at[1]);
            int actual = decoded.rgbAt(at[0], at[1]);
            for (int shift = 0; shift <= 16; shift += 8) {
                assertTrue(Math.abs((expected >> shift & 0xFF) - (actual >> shift & 0xFF)) <= 16,
                        String.format("at %s: #%06X vs #%06X", Arrays.toString(at), expected & 0xFFFFFF, actual));
            }
        }
        // Cut after the first scans: the header is whole, the image is not.
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> JpegStructure.parse(Arrays.copyOf(progressive, progressive.length * 2 / 3)));
        assertEquals(RejectReason.CORRUPT_IMAGE, e.reason());
    }

    @Test
    void acceptsDataAfterTheEndMarker() throws InvalidImageException {
        byte[] jpeg = PreprocessCase.bytes("coffee.jpg");
        byte[] trailing = Arrays.copyOf(jpeg, jpeg.length + 1000); // zero padding, as some cameras write
        assertEquals(600, JpegStructure.parse(trailing).width());
        assertEquals(new ImageDecoder().decode(jpeg), new ImageDecoder().decode(trailing));
    }

    private static byte[] progressiveJpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        int scans = 0;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == (byte) 0xDA) {
                scans++;
            }
        }
        assertTrue(scans > 1, "progressive: several scans, found " + scans);
        return jpeg;
    }
}
