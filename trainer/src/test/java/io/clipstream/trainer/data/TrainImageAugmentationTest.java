package io.clipstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.image.RgbImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainImageAugmentationTest {

    private static final int SIZE = 16;
    /** No crop, no mirror, no jitter, no grey: each part is switched on alone below. */
    private static final ImageAugmentation.Settings NOTHING = new ImageAugmentation.Settings(true, 1, 1, 0, 0, 0, 0,
            0);

    /** Every pixel different: (x, y) in red and green, their sum in blue. */
    private static RgbImage gradient() {
        byte[] pixels = new byte[SIZE * SIZE * 3];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int i = (y * SIZE + x) * 3;
                pixels[i] = (byte) (x * 16);
                pixels[i + 1] = (byte) (y * 16);
                pixels[i + 2] = (byte) ((x + y) * 8);
            }
        }
        return new RgbImage(SIZE, SIZE, pixels);
    }

    /** The gradient as pair "p" is trained with it at step 0 of a run with this seed. */
    private static RgbImage drawOnce(ImageAugmentation.Settings settings, long seed) {
        return new ImageAugmentation(settings, seed).image("p", gradient(), 0);
    }

    @Test
    void offTheImageIsTheOneSent() {
        RgbImage image = gradient();
        assertSame(image, ImageAugmentation.off().image("p", image, 3));
        assertSame(image, new ImageAugmentation(ImageAugmentation.Settings.disabled(), 1).image("p", image, 3));
    }

    @Test
    void withEveryPartAtItsNeutralValueTheImageIsUnchanged() {
        RgbImage image = gradient();
        for (long step = 0; step < 20; step++) {
            assertEquals(image, new ImageAugmentation(NOTHING, 9).image("p", image, step));
        }
    }

    @Test
    void theDrawRepeatsForAPairAndStepAndDiffersAcrossSteps() {
        ImageAugmentation augmentation = new ImageAugmentation(ImageAugmentation.Settings.defaults(), 7);
        RgbImage image = gradient();
        assertEquals(augmentation.image("p", image, 5), augmentation.image("p", image, 5), "repeats");
        Set<RgbImage> seen = new HashSet<>();
        for (long step = 0; step < 20; step++) {
            RgbImage augmented = augmentation.image("p", image, step);
            assertEquals(SIZE, augmented.width());
            assertEquals(SIZE, augmented.height());
            seen.add(augmented);
        }
        assertTrue(seen.size() >= 19, "each step draws anew: " + seen.size() + " distinct of 20");
        assertNotEquals(augmentation.image("p", image, 5), augmentation.image("q", image, 5), "per pair");
        assertNotEquals(augmentation.image("p", image, 5),
                new ImageAugmentation(ImageAugmentation.Settings.defaults(), 8).image("p", image, 5), "per run seed");
    }

    @Test
    void aMirrorReversesEachRow() {
        RgbImage image = gradient();
        RgbImage mirrored = drawOnce(new ImageAugmentation.Settings(true, 1, 1, 1, 0, 0, 0, 0), 1);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                assertEquals(image.rgbAt(SIZE - 1 - x, y), mirrored.rgbAt(x, y), "(" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void greyMakesTheChannelsEqualWithTheLumaOfEachPixel() {
        RgbImage image = gradient();
        RgbImage greyed = drawOnce(new ImageAugmentation.Settings(true, 1, 1, 0, 0, 0, 0, 1), 1);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = image.rgbAt(x, y);
                double luma = 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
                int grey = greyed.rgbAt(x, y) & 0xff;
                assertEquals(grey * 0x010101, greyed.rgbAt(x, y), "channels equal at (" + x + ", " + y + ")");
                assertEquals(luma, grey, 0.5 + 1e-4, "luma at (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void cropsKeepTheirShareOfTheAreaAndAspectAndStayInside() {
        ImageAugmentation.Settings settings = new ImageAugmentation.Settings(true, 0.5, 4.0 / 3, 0, 0, 0, 0, 0);
        ImageAugmentation augmentation = new ImageAugmentation(settings, 1);
        SplittableRandom random = new SplittableRandom(3);
        double smallest = 1;
        for (int i = 0; i < 2000; i++) {
            ImageAugmentation.Window w = augmentation.window(64, 48, random);
            double share = w.width() * w.height() / (64.0 * 48);
            smallest = Math.min(smallest, share);
            assertTrue(share >= 0.5 - 1e-9 && share <= 1 + 1e-9, "share " + share);
            double aspect = w.width() / w.height();
            assertTrue(aspect >= 0.75 - 1e-9 && aspect <= 4.0 / 3 + 1e-9 || share == 1, "aspect " + aspect);
            assertTrue(w.x() >= 0 && w.y() >= 0 && w.x() + w.width() <= 64 + 1e-9 && w.y() + w.height() <= 48 + 1e-9,
                    w.toString());
        }
        assertTrue(smallest < 0.55, "crops reach down to the minimum share: smallest " + smallest);
    }

    @Test
    void aCropZoomsIn() {
        // A white image with a black 4x4 square in its middle: a crop keeps the square and draws it larger.
        byte[] pixels = new byte[SIZE * SIZE * 3];
        Arrays.fill(pixels, (byte) 255);
        for (int y = 6; y < 10; y++) {
            for (int x = 6; x < 10; x++) {
                for (int c = 0; c < 3; c++) {
                    pixels[(y * SIZE + x) * 3 + c] = 0;
                }
            }
        }
        RgbImage image = new RgbImage(SIZE, SIZE, pixels);
        ImageAugmentation crop = new ImageAugmentation(new ImageAugmentation.Settings(true, 0.5, 1, 0, 0, 0, 0, 0), 1);
        int darkBefore = dark(image);
        boolean grew = false;
        for (long step = 0; step < 20; step++) {
            int darkAfter = dark(crop.image("p", image, step));
            assertTrue(darkAfter >= darkBefore - 4, "the square is never cut away whole: " + darkAfter);
            grew |= darkAfter > darkBefore + 4;
        }
        assertTrue(grew, "some crop draws the square larger");
    }

    @Test
    void jitterChangesColoursWithinTheirRange() {
        RgbImage image = gradient();
        RgbImage jittered = drawOnce(new ImageAugmentation.Settings(true, 1, 1, 0, 0.3, 0.3, 0.3, 0), 2);
        assertNotEquals(image, jittered);
        assertEquals(image.pixels().length, jittered.pixels().length);
    }

    @Test
    void settingsOutsideTheirRangeAreRefusedWithTheirKey() {
        IllegalArgumentException scale = assertThrows(IllegalArgumentException.class,
                () -> new ImageAugmentation.Settings(true, 0, 1, 0, 0, 0, 0, 0));
        assertTrue(scale.getMessage().contains("clipstream.trainer.augmentation.min-scale"), scale.getMessage());
        IllegalArgumentException aspect = assertThrows(IllegalArgumentException.class,
                () -> new ImageAugmentation.Settings(true, 1, 0.5, 0, 0, 0, 0, 0));
        assertTrue(aspect.getMessage().contains("max-aspect"), aspect.getMessage());
        IllegalArgumentException flip = assertThrows(IllegalArgumentException.class,
                () -> new ImageAugmentation.Settings(true, 1, 1, 1.5, 0, 0, 0, 0));
        assertTrue(flip.getMessage().contains("flip-probability"), flip.getMessage());
        IllegalArgumentException brightness = assertThrows(IllegalArgumentException.class,
                () -> new ImageAugmentation.Settings(true, 1, 1, 0, 1, 0, 0, 0));
        assertTrue(brightness.getMessage().contains("brightness"), brightness.getMessage());
    }

    private static int dark(RgbImage image) {
        int count = 0;
        for (int i = 0; i < image.pixels().length; i += 3) {
            count += (image.pixels()[i] & 0xff) < 128 ? 1 : 0;
        }
        return count;
    }
}
