package io.clipstream.model.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class ExifOrientationTest {

    /** The stored 3x2 image "abc / def", one grey level per letter. */
    private static final RgbImage STORED = grey(3, 2, "abcdef");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "NORMAL,            3, abcdef",
            "MIRROR_HORIZONTAL, 3, cbafed",
            "ROTATE_180,        3, fedcba",
            "MIRROR_VERTICAL,   3, defabc",
            "TRANSPOSE,         2, adbecf",
            "ROTATE_90_CW,      2, daebfc",
            "TRANSVERSE,        2, fcebda",
            "ROTATE_270_CW,     2, cfbead",
    })
    void turnsTheStoredPixelsUpright(ExifOrientation orientation, int width, String rows) {
        assertEquals(grey(width, rows.length() / width, rows), orientation.apply(STORED));
    }

    @Test
    void tagValuesMapAsInTheExifStandard() {
        for (ExifOrientation orientation : ExifOrientation.values()) {
            assertSame(orientation, ExifOrientation.ofTagValue(orientation.tagValue()));
        }
        assertSame(ExifOrientation.ROTATE_90_CW, ExifOrientation.ofTagValue(6));
        assertSame(ExifOrientation.NORMAL, ExifOrientation.ofTagValue(0));
        assertSame(ExifOrientation.NORMAL, ExifOrientation.ofTagValue(9));
    }

    @Test
    void readsTheTagInEitherByteOrder() {
        for (boolean littleEndian : new boolean[] {true, false}) {
            byte[] app1 = TestImages.exifOrientation(8, littleEndian);
            assertSame(ExifOrientation.ROTATE_270_CW, ExifOrientation.parseTiff(app1, 6, app1.length));
        }
    }

    @Test
    void malformedExifMeansNoRotation() {
        byte[] app1 = TestImages.exifOrientation(6, true);
        assertSame(ExifOrientation.NORMAL, ExifOrientation.parseTiff(app1, 6, 12), "cut inside the header");
        assertSame(ExifOrientation.NORMAL, ExifOrientation.parseTiff(app1, 6, app1.length - 10), "cut entry");
        byte[] badOrder = app1.clone();
        badOrder[6] = 'X';
        assertSame(ExifOrientation.NORMAL, ExifOrientation.parseTiff(badOrder, 6, badOrder.length));
        byte[] farIfd = app1.clone();
        farIfd[10] = (byte) 0xF0; // IFD0 offset points past the data
        assertSame(ExifOrientation.NORMAL, ExifOrientation.parseTiff(farIfd, 6, farIfd.length));
        byte[] wrongType = app1.clone();
        wrongType[6 + 8 + 2 + 2] = 4; // LONG instead of SHORT
        assertSame(ExifOrientation.NORMAL, ExifOrientation.parseTiff(wrongType, 6, wrongType.length));
    }

    private static RgbImage grey(int width, int height, String letters) {
        byte[] pixels = new byte[width * height * 3];
        for (int i = 0; i < letters.length(); i++) {
            Arrays.fill(pixels, i * 3, i * 3 + 3, (byte) (letters.charAt(i) * 2));
        }
        return new RgbImage(width, height, pixels);
    }
}
