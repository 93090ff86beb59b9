package io.clipstream.trainer.data;

import io.clipstream.model.image.RgbImage;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The image a pair is trained with, drawn afresh each time it goes into a batch, as OpenCLIP's and SimCLR's training
 * transforms: a random part of the image (a share of its area and an aspect ratio, torchvision's
 * {@code RandomResizedCrop}) resampled bilinearly back to the model's size, a mirror image now and then, and jittered
 * brightness, contrast and saturation, sometimes none at all (grey). A model trained on a few thousand pairs in passes
 * otherwise learns each picture by heart, pixel for pixel, and recognises nothing drawn otherwise; a model that saw
 * each concept cropped, mirrored and recoloured must learn what the concept looks like. The draw is seeded by the
 * run's seed, the pair id and the step, like the {@link CaptionMix}. Off, the image is the one sent. Held-out pairs
 * and zero-shot images are never augmented. Thread-safe.
 */
public final class ImageAugmentation {

    private static final long SALT = 0xBB67AE8584CAA73BL;
    private static final ImageAugmentation OFF = new ImageAugmentation(Settings.disabled(), 0);
    /** ITU-R BT.601 luma, as Pillow's convert("L") and torchvision's rgb_to_grayscale. */
    private static final float LUMA_R = 0.299f;
    private static final float LUMA_G = 0.587f;
    private static final float LUMA_B = 0.114f;

    private final Settings settings;
    private final long seed;

    public ImageAugmentation(Settings settings, long seed) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
    }

    /** Images as sent. */
    public static ImageAugmentation off() {
        return OFF;
    }

    public Settings settings() {
        return settings;
    }

    /** The image {@code pair} is trained with in the batch of {@code step}. */
    public RgbImage image(StreamPair pair, long step) {
        return image(pair.pairId(), pair.image(), step);
    }

    /** The image of a pair with this id, image as sent, in the batch of {@code step}; same size as sent. */
    public RgbImage image(String pairId, RgbImage image, long step) {
        if (!settings.enabled()) {
            return image;
        }
        SplittableRandom random = new SplittableRandom(PairDraws.seed(seed, SALT, pairId, step));
        Window window = window(image.width(), image.height(), random);
        boolean mirror = random.nextDouble() < settings.flipProbability();
        float[] rgb = resample(image, window, mirror);
        jitter(rgb, random);
        return new RgbImage(image.width(), image.height(), toBytes(rgb));
    }

    /** The part of the image kept, in source pixels (fractional). */
    record Window(double x, double y, double width, double height) {
    }

    /**
     * A share of the area in [min-scale, 1] and an aspect ratio log-uniform in [1/max-aspect, max-aspect], as
     * torchvision's RandomResizedCrop; ten tries for a window that fits, then the whole image.
     */
    Window window(int width, int height, SplittableRandom random) {
        if (settings.minScale() >= 1 && settings.maxAspect() <= 1) {
            return new Window(0, 0, width, height);
        }
        double area = (double) width * height;
        double logAspect = Math.log(settings.maxAspect());
        for (int attempt = 0; attempt < 10; attempt++) {
            double scale = settings.minScale() + random.nextDouble() * (1 - settings.minScale());
            double aspect = Math.exp((2 * random.nextDouble() - 1) * logAspect);
            double w = Math.sqrt(area * scale * aspect);
            double h = Math.sqrt(area * scale / aspect);
            if (w <= width && h <= height) {
                return new Window(random.nextDouble() * (width - w), random.nextDouble() * (height - h), w, h);
            }
        }
        return new Window(0, 0, width, height);
    }

    /** The window resampled bilinearly to the image's size (pixel centres mapped), mirrored if asked; RGB floats. */
    private static float[] resample(RgbImage image, Window window, boolean mirror) {
        int width = image.width();
        int height = image.height();
        byte[] src = image.pixels();
        float[] out = new float[width * height * 3];
        double sx = window.width() / width;
        double sy = window.height() / height;
        for (int y = 0; y < height; y++) {
            double fy = clamp(window.y() + (y + 0.5) * sy - 0.5, 0, height - 1);
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, height - 1);
            float wy = (float) (fy - y0);
            for (int x = 0; x < width; x++) {
                int target = mirror ? width - 1 - x : x;
                double fx = clamp(window.x() + (x + 0.5) * sx - 0.5, 0, width - 1);
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, width - 1);
                float wx = (float) (fx - x0);
                int o = (y * width + target) * 3;
                for (int c = 0; c < 3; c++) {
                    float top = lerp(src[(y0 * width + x0) * 3 + c] & 0xff, src[(y0 * width + x1) * 3 + c] & 0xff, wx);
                    float bottom = lerp(src[(y1 * width + x0) * 3 + c] & 0xff, src[(y1 * width + x1) * 3 + c] & 0xff,
                            wx);
                    out[o + c] = lerp(top, bottom, wy);
                }
            }
        }
        return out;
    }

    /**
     * Brightness (scaled), contrast (blended with the image's mean grey) and saturation (blended with each pixel's
     * grey), each by a factor in [1 - strength, 1 + strength], in a random order as torchvision's ColorJitter; then
     * grey with the grey probability.
     */
    private void jitter(float[] rgb, SplittableRandom random) {
        float brightness = factor(settings.brightness(), random);
        float contrast = factor(settings.contrast(), random);
        float saturation = factor(settings.saturation(), random);
        int first = random.nextInt(3);
        for (int i = 0; i < 3; i++) {
            switch ((first + i) % 3) {
                case 0 -> scale(rgb, brightness);
                case 1 -> blendWithMeanGrey(rgb, contrast);
                default -> blendWithGrey(rgb, saturation);
            }
        }
        if (random.nextDouble() < settings.greyProbability()) {
            blendWithGrey(rgb, 0);
        }
    }

    private static float factor(double strength, SplittableRandom random) {
        return strength == 0 ? 1 : (float) (1 - strength + 2 * strength * random.nextDouble());
    }

    private static void scale(float[] rgb, float factor) {
        if (factor == 1) {
            return;
        }
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = clamp255(rgb[i] * factor);
        }
    }

    private static void blendWithMeanGrey(float[] rgb, float factor) {
        if (factor == 1) {
            return;
        }
        double sum = 0;
        for (int i = 0; i < rgb.length; i += 3) {
            sum += grey(rgb, i);
        }
        float mean = (float) (sum / (rgb.length / 3));
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = clamp255(mean + (rgb[i] - mean) * factor);
        }
    }

    private static void blendWithGrey(float[] rgb, float factor) {
        if (factor == 1) {
            return;
        }
        for (int i = 0; i < rgb.length; i += 3) {
            float grey = grey(rgb, i);
            for (int c = 0; c < 3; c++) {
                rgb[i + c] = clamp255(grey + (rgb[i + c] - grey) * factor);
            }
        }
    }

    private static float grey(float[] rgb, int i) {
        return LUMA_R * rgb[i] + LUMA_G * rgb[i + 1] + LUMA_B * rgb[i + 2];
    }

    private static byte[] toBytes(float[] rgb) {
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = (byte) Math.round(clamp255(rgb[i]));
        }
        return out;
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static float clamp255(float v) {
        return Math.max(0, Math.min(255, v));
    }

    /**
     * The augmentation's configuration ({@code clipstream.trainer.augmentation.*}), validated whether enabled or not.
     *
     * @param enabled whether images are augmented at all
     * @param minScale the smallest share of the image's area a crop keeps, in (0, 1]; 1: no crop
     * @param maxAspect the widest aspect ratio of a crop (and 1/that the tallest), at least 1
     * @param flipProbability how often the image is mirrored left to right
     * @param brightness brightness factor in [1 - this, 1 + this], in [0, 1)
     * @param contrast contrast factor likewise
     * @param saturation saturation factor likewise
     * @param greyProbability how often the image is made grey after the jitter
     */
    public record Settings(boolean enabled, double minScale, double maxAspect, double flipProbability,
            double brightness, double contrast, double saturation, double greyProbability) {

        private static final String PREFIX = "clipstream.trainer.augmentation.";

        public Settings {
            if (!(minScale > 0 && minScale <= 1)) {
                throw new IllegalArgumentException(PREFIX + "min-scale must be in (0, 1], was " + minScale);
            }
            if (!(maxAspect >= 1) || Double.isInfinite(maxAspect)) {
                throw new IllegalArgumentException(PREFIX + "max-aspect must be a finite number >= 1, was "
                        + maxAspect);
            }
            probability("flip-probability", flipProbability);
            probability("grey-probability", greyProbability);
            strength("brightness", brightness);
            strength("contrast", contrast);
            strength("saturation", saturation);
        }

        /**
         * Off; when on, crops of half the area or more, no mirroring (a mirrored "left arrow" is a right arrow, and
         * CLIP's training does not mirror either), jitter of 0.3 and one grey image in ten.
         */
        public static Settings disabled() {
            return new Settings(false, 0.5, 4.0 / 3, 0, 0.3, 0.3, 0.3, 0.1);
        }

        public static Settings defaults() {
            return disabled().withEnabled(true);
        }

        /** In words, for the start-up log. */
        public String describe() {
            if (!enabled) {
                return "off: images as sent";
            }
            return String.format(java.util.Locale.ROOT, "crops of %.0f-100 %% of the area (aspect up to %.2f),"
                    + " mirrored %.0f %%, brightness/contrast/saturation ±%.2f/%.2f/%.2f, grey %.0f %%",
                    minScale * 100, maxAspect, flipProbability * 100, brightness, contrast, saturation,
                    greyProbability * 100);
        }

        public Settings withEnabled(boolean on) {
            return new Settings(on, minScale, maxAspect, flipProbability, brightness, contrast, saturation,
                    greyProbability);
        }

        private static void probability(String key, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(PREFIX + key + " must be in [0, 1], was " + value);
            }
        }

        private static void strength(String key, double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException(PREFIX + key + " must be in [0, 1), was " + value);
            }
        }
    }
}
