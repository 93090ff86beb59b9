package io.clipstream.model.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Throughput of the image path on one thread, printed (no timed assertions). Run alone with
 * {@code ./mvnw -q -B -pl model -am -Pbench test -Dtest=ImageTransformBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class ImageTransformBench {

    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final long MEASURE_NANOS = 3_000_000_000L;

    private final ClipImageTransform transform = ClipImageTransform.openAi(224);

    @Test
    void throughput() throws Exception {
        byte[] jpeg = TestImages.encode(photoLike(640, 480), "jpeg");
        RgbImage decoded = transform.decoder().decode(jpeg);
        RgbImage cropped = transform.resizeAndCrop(decoded);
        List<RgbImage> batch = Collections.nCopies(32, cropped);
        System.out.printf("640x480 JPEG, %d bytes; %s, %d cores%n", jpeg.length,
                System.getProperty("java.vm.name") + " " + Runtime.version(), Runtime.getRuntime().availableProcessors());

        report("decode + resize + crop (640x480 JPEG -> 224)", 1, () -> transform.preprocess(jpeg));
        report("decode only (640x480 JPEG)", 1, () -> transform.decoder().decode(jpeg));
        report("resize + crop only (640x480 -> 298x224 -> 224)", 1, () -> transform.resizeAndCrop(decoded));
        try (NDManager manager = NDManager.newBaseManager()) {
            report("toTensor, batch of 32 (images/s)", 32, () -> {
                try (NDArray tensor = transform.toTensor(manager, batch)) {
                    return tensor.getShape();
                }
            });
        }
    }

    private static void report(String what, int imagesPerCall, Action action) throws Exception {
        run(action, WARMUP_NANOS);
        long[] result = run(action, MEASURE_NANOS);
        double seconds = result[1] / 1e9;
        double imagesPerSecond = result[0] * imagesPerCall / seconds;
        System.out.printf("%-50s %9.1f images/s  %8.3f ms/call%n", what, imagesPerSecond, 1e3 * seconds / result[0]);
    }

    /** Calls the action until the time is up; returns {calls, elapsed nanos}. */
    private static long[] run(Action action, long nanos) throws Exception {
        long calls = 0;
        Object sink = null;
        long start = System.nanoTime();
        long elapsed;
        do {
            sink = action.call();
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
        return new long[] {calls, elapsed};
    }

    /** Smooth gradients plus texture, so that the JPEG has realistic entropy. */
    private static BufferedImage photoLike(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (int) (127 + 100 * Math.sin(x / 37.0) * Math.cos(y / 53.0)) + random.nextInt(24);
                int g = (x * 255 / width + random.nextInt(16)) & 0xFF;
                int b = (y * 255 / height + ((x / 16 + y / 16) % 2) * 40) & 0xFF;
                image.setRGB(x, y, Math.min(r, 255) << 16 | g << 8 | b);
            }
        }
        return image;
    }

    @FunctionalInterface
    private interface Action {
        Object call() throws Exception;
    }
}
