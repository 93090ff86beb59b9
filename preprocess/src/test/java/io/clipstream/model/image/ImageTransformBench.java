package io.clipstream.model.image;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Throughput and latency of the image path on one thread, and the ratio to Pillow's (bench/pillow_preprocess.py)
 * on the same file in the same run, Pillow measured between two rounds of ours so that a change of load on the
 * shared cores shows as a difference between the rounds. Printed; no timed assertions. Run alone with
 * {@code ./mvnw -q -B -pl preprocess -am -Pbench test -Dtest=ImageTransformBench -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.python=...} for another Python 3 with Pillow; default {@code /usr/bin/python3}).
 */
@Tag("bench")
class ImageTransformBench {

    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final long MEASURE_NANOS = 3_000_000_000L;

    private final ClipImageTransform transform = ClipImageTransform.openAi(224);

    @Test
    void throughput() throws Exception {
        byte[] jpeg = TestImages.encode(photoLike(640, 480), "jpeg");
        Path file = Files.createTempFile("bench-", ".jpg");
        Files.write(file, jpeg);
        RgbImage decoded = transform.decoder().decode(jpeg);
        RgbImage cropped = transform.resizeAndCrop(decoded);
        List<RgbImage> batch = Collections.nCopies(32, cropped);
        System.out.printf("640x480 JPEG, %d bytes; %s, %d cores, load average %s%n", jpeg.length,
                System.getProperty("java.vm.name") + " " + Runtime.version(), Runtime.getRuntime().availableProcessors(),
                loadAverage());

        Result first = report("decode + resize + crop (640x480 JPEG -> 224), round 1", 1, () -> transform.preprocess(jpeg));
        String pillow = pillow(file);
        Result second = report("decode + resize + crop (640x480 JPEG -> 224), round 2", 1, () -> transform.preprocess(jpeg));
        if (pillow != null) {
            double pillowPerSecond = figure(pillow, "images_per_s");
            System.out.println(pillow);
            System.out.printf(Locale.ROOT, "model / Pillow, decode + resize + crop: %.2fx (round 1), %.2fx (round 2);"
                            + " decode alone: Pillow %.1f images/s%n", first.perSecond / pillowPerSecond,
                    second.perSecond / pillowPerSecond, figure(pillow, "decode_per_s"));
        } else {
            System.out.println("Pillow: not measured (no Python 3 with Pillow at " + python() + ")");
        }
        report("decode only (640x480 JPEG)", 1, () -> transform.decoder().decode(jpeg));
        report("resize + crop, windowed (640x480 -> 224 of 298x224)", 1, () -> transform.resizeAndCrop(decoded));
        report("resize, then crop (the whole 298x224)", 1,
                () -> PillowResize.resize(decoded, 298, 224).crop(37, 0, 224, 224));
        report("normalised pixel values, batch of 32 (images/s)", 32, () -> transform.toPixelValues(batch));
        System.out.println("load average after: " + loadAverage());
        Files.deleteIfExists(file);
    }

    private record Result(double perSecond) {
    }

    private static Result report(String what, int imagesPerCall, Action action) throws Exception {
        run(action, WARMUP_NANOS, null);
        long[] latencies = new long[1 << 20];
        long[] result = run(action, MEASURE_NANOS, latencies);
        double seconds = result[1] / 1e9;
        double imagesPerSecond = result[0] * imagesPerCall / seconds;
        long[] measured = Arrays.copyOf(latencies, (int) Math.min(result[0], latencies.length));
        Arrays.sort(measured);
        System.out.printf(Locale.ROOT, "%-62s %9.1f images/s  p50 %7.3f ms  p99 %7.3f ms per call%n", what,
                imagesPerSecond, percentile(measured, 0.5) / 1e6, percentile(measured, 0.99) / 1e6);
        return new Result(imagesPerSecond);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
    }

    /** Calls the action until the time is up, keeping each call's latency when asked; returns {calls, elapsed nanos}. */
    private static long[] run(Action action, long nanos, long[] latencies) throws Exception {
        long calls = 0;
        Object sink = null;
        long start = System.nanoTime();
        long before = start;
        long elapsed;
        do {
            sink = action.call();
            long after = System.nanoTime();
            if (latencies != null && calls < latencies.length) {
                latencies[(int) calls] = after - before;
            }
            before = after;
            calls++;
            elapsed = after - start;
        } while (elapsed < nanos);
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
        return new long[] {calls, elapsed};
    }

    private static String python() {
        return System.getProperty("bench.python", "/usr/bin/python3");
    }

    /**
     * Whether {@link #python()} imports Pillow; where it does not and it is Debian's own Python, Debian's
     * {@code python3-pil} is installed with apt-get when this process may (root, apt-get present), as the console's
     * browser test installs Chromium: the reference is set up by the project, never by hand.
     */
    private static boolean ensurePillow() throws Exception {
        if (imports(python(), "PIL")) {
            return true;
        }
        if (!"/usr/bin/python3".equals(python()) || !"root".equals(System.getProperty("user.name"))
                || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            System.out.println("Pillow is missing from " + python() + " and this process cannot install it"
                    + " (needs root and apt-get): apt-get install -y python3-pil");
            return false;
        }
        System.out.println("ImageTransformBench: installing Debian's python3-pil (apt-get)");
        for (List<String> command : List.of(List.of("apt-get", "update"),
                List.of("apt-get", "install", "-y", "--no-install-recommends", "python3-pil"))) {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                System.out.println(String.join(" ", command) + " failed");
                return false;
            }
        }
        return imports(python(), "PIL");
    }

    private static boolean imports(String python, String module) throws Exception {
        Process probe = new ProcessBuilder(python, "-c", "import " + module).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }

    /** The last line of bench/pillow_preprocess.py on {@code file}, or null where Python or Pillow is missing. */
    private static String pillow(Path file) throws Exception {
        Path script = Path.of(System.getProperty("clipstream.bench.dir", "../bench"), "pillow_preprocess.py");
        if (!Files.isExecutable(Path.of(python())) || !Files.exists(script) || !ensurePillow()) {
            return null;
        }
        Process process = new ProcessBuilder(python(), script.toString(), file.toString(),
                "--seconds", String.valueOf(MEASURE_NANOS / 1e9), "--warmup", String.valueOf(WARMUP_NANOS / 1e9))
                .redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                last = line;
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || last == null
                || !last.startsWith("pillow:")) {
            System.out.println("Pillow script failed: " + last);
            return null;
        }
        return last;
    }

    private static double figure(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return Double.parseDouble(part.substring(key.length() + 1));
            }
        }
        throw new IllegalArgumentException("no " + key + " in " + line);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
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
