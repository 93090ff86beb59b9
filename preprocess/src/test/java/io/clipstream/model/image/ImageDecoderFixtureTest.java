package io.clipstream.model.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoder alone against Pillow's decode ({@code decoded_rgb}) of every reference input. */
class ImageDecoderFixtureTest {

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT.withMinSide(1));

    @Test
    void decodesEveryReferenceInputAsPillowDoes() throws InvalidImageException {
        List<PreprocessCase> cases = PreprocessCase.all();
        StringBuilder table = new StringBuilder(PixelDiff.header("decode vs Pillow decoded_rgb"));
        List<Executable> checks = new ArrayList<>();
        for (PreprocessCase c : cases) {
            RgbImage decoded = decoder.decode(c.inputBytes());
            assertEquals(c.width() + "x" + c.height(), decoded.width() + "x" + decoded.height(), c.input());
            PixelDiff diff = PixelDiff.between(decoded, c.pillowDecoded());
            table.append('\n').append(diff.row(c.input()));
            // PNG is lossless: exact. JPEG: the bar of ClipImageTransformFixtureTest (see there why; it is in fact
            // exact too, as ImageIO's IJG libjpeg and Pillow's libjpeg-turbo share the default decode path).
            if (c.isJpeg()) {
                checks.add(() -> assertTrue(diff.withinOne() >= 0.999 && diff.max() <= 2, c + ": " + diff));
            } else {
                checks.add(() -> assertEquals(0, diff.max(), c + " differs from Pillow's decode: " + diff));
            }
        }
        System.out.println(table);
        assertAll(checks);
        assertTrue(cases.size() >= 10, "index.json lists " + cases.size() + " cases");
    }
}
