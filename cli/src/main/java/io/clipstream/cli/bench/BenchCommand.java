package io.clipstream.cli.bench;

import ai.djl.ndarray.NDManager;
import io.clipstream.cli.CommandFailure;
import io.clipstream.cli.local.Installation;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.ModelFlops;
import io.clipstream.model.bench.TowerBench;
import io.clipstream.model.engine.CastParameterStore;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.InvalidImageException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code clipstream bench}: what this machine does with a CLIP config — the bare towers at each batch
 * size (random weights), decode + resize + crop per thread, the matrix-product ceiling and the model
 * FLOP utilisation; with {@code --through-kafka} also the packaged embedder on a broker of its own
 * ({@link ThroughKafka}). Progress goes to stderr; the table and a last {@code key=value} line to stdout.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the bare image/text towers, preprocessing and the device's matmul ceiling.")
public final class BenchCommand implements Callable<Integer> {

    private static final int MATMUL_SIZE = 2048;

    @Option(names = "--config", defaultValue = "vit-b-32", description = "Model config preset (default ${DEFAULT-VALUE}).")
    String configName;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32, bf16, or fp16 (GPU only); default ${DEFAULT-VALUE}.")
    String precisionName;

    @Option(names = "--batch", split = ",", defaultValue = "1,8,32", description = "Batch sizes (default ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--images", description = "A folder of images to preprocess (default: a generated 640x480 JPEG).")
    Path imageDir;

    @Option(names = "--seconds", defaultValue = "3", description = "Least time per measurement (default ${DEFAULT-VALUE} s).")
    double seconds;

    @Option(names = "--through-kafka", description = "Also run the packaged embedder on a standalone broker of its "
            + "own: burst images/s through Kafka, its ratio to the bare image tower, p50/p99 latency at half that rate.")
    boolean throughKafka;

    @Option(names = "--home", description = "For --through-kafka: the Clipstream checkout whose packaged broker and "
            + "embedder run (default: where this jar was built).")
    Path home;

    @Override
    public Integer call() throws Exception {
        ClipConfig config = preset(configName);
        Precision precision = parsePrecision(precisionName);
        if (batches.stream().anyMatch(b -> b < 1)) {
            throw new CommandFailure("--batch sizes must be at least 1, got " + batches);
        }
        if (!(seconds > 0)) {
            throw new CommandFailure("--seconds must be positive, got " + seconds);
        }
        if (home != null && !throughKafka) {
            throw new CommandFailure("--home names the checkout --through-kafka runs; give --through-kafka too");
        }
        List<byte[]> images = images();
        // Refused before anything is measured: a checkout without the packaged broker or embedder.
        try (ThroughKafka kafka = throughKafka ? ThroughKafka.prepare(Installation.locate(home), precision,
                batches.get(0)) : null) {
            return measure(config, precision, images, kafka);
        }
    }

    private int measure(ClipConfig config, Precision precision, List<byte[]> images, ThroughKafka kafka)
            throws Exception {
        TowerBench bench = new TowerBench((long) (seconds * 1e9), 3);
        try (NDManager manager = Engines.newManager(); NDManager copies = manager.newSubManager()) {
            try {
                precision.requireSupportedOn(manager.getDevice());
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage());
            }
            progress("%s on %s, precision %s", configName, Engines.describe(), precision.label());
            progress("matmul %d^3 ...", MATMUL_SIZE);
            double ceiling = bench.matmulGflops(manager, MATMUL_SIZE, precision);
            progress("matmul %d^3 %s: %.1f GFLOP/s", MATMUL_SIZE, precision.label(), ceiling);

            progress("preprocess (decode + resize + crop), 1 thread ...");
            double preprocessPerSecond = preprocessPerSecond(config, images);
            progress("preprocess: %.1f images/s per thread", preprocessPerSecond);

            progress("initialising %s with random weights ...", configName);
            ClipModel model = new ClipModel(config).initialize(manager);
            CastParameterStore store = new CastParameterStore(copies, precision);
            double imageFlops = ModelFlops.image(config);
            double textFlops = ModelFlops.text(config);
            System.out.printf(Locale.ROOT, "%5s %10s %10s %8s %8s%n", "batch", "images/s", "texts/s", "img mfu", "txt mfu");
            String last = null;
            Map<Integer, Double> bareImagesPerSecond = new LinkedHashMap<>();
            for (int batch : batches) {
                progress("image tower, batch %d ...", batch);
                double imagesPerSecond = bench.imageTower(model, store, manager, batch).perSecond(batch);
                progress("text tower, batch %d ...", batch);
                double textsPerSecond = bench.textTower(model, store, manager, batch, new Random(batch)).perSecond(batch);
                bareImagesPerSecond.put(batch, imagesPerSecond);
                double mfu = TowerBench.mfu(imagesPerSecond, imageFlops, ceiling);
                System.out.printf(Locale.ROOT, "%5d %10.1f %10.1f %7.1f%% %7.1f%%%n", batch, imagesPerSecond,
                        textsPerSecond, 100 * mfu, 100 * TowerBench.mfu(textsPerSecond, textFlops, ceiling));
                if (last == null || batch >= maxBatch()) {
                    last = String.format(Locale.ROOT, "bench: config=%s precision=%s batch=%d images_per_s=%.2f "
                                    + "texts_per_s=%.2f preprocess_per_s=%.2f matmul_gflops=%.1f mfu=%.4f",
                            configName, precision.label(), batch, imagesPerSecond, textsPerSecond,
                            preprocessPerSecond, ceiling, mfu);
                }
            }
            if (kafka != null) {
                last += throughKafka(kafka, model, bareImagesPerSecond, images);
            }
            System.out.println(last);
        }
        return 0;
    }

    /**
     * The embedder through Kafka at each batch size, after the bare towers (so that neither measures beside the
     * other); prints its table and returns its figures at the largest batch for the last line.
     */
    private String throughKafka(ThroughKafka kafka, ClipModel model, Map<Integer, Double> bare, List<byte[]> images)
            throws IOException {
        kafka.start(model, configName);
        List<ThroughKafka.Figures> rows = new ArrayList<>();
        for (int batch : batches) {
            rows.add(kafka.measure(batch, bare.get(batch), images, seconds));
        }
        System.out.printf(Locale.ROOT, "%5s %12s %8s %11s %9s %9s%n", "batch", "kafka img/s", "of bare", "paced img/s",
                "p50 ms", "p99 ms");
        ThroughKafka.Figures largest = null;
        for (ThroughKafka.Figures row : rows) {
            System.out.printf(Locale.ROOT, "%5d %12.1f %7.0f%% %11.1f %9.1f %9.1f%n", row.batch(), row.imagesPerSecond(),
                    100 * row.ratioToBare(), row.pacedPerSecond(), row.p50Millis(), row.p99Millis());
            if (largest == null || row.batch() >= maxBatch()) {
                largest = row;
            }
        }
        System.out.println("kafka: a burst through the packaged embedder, count / (last output - first input "
                + "timestamp); paced at half that rate, latency = output - input record timestamp");
        return String.format(Locale.ROOT, " kafka_images_per_s=%.2f kafka_ratio=%.4f p50_ms=%.1f p99_ms=%.1f",
                largest.imagesPerSecond(), largest.ratioToBare(), largest.p50Millis(), largest.p99Millis());
    }

    private int maxBatch() {
        return batches.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    private double preprocessPerSecond(ClipConfig config, List<byte[]> images) throws InvalidImageException {
        ClipImageTransform transform = ClipImageTransform.openAi(config.imageSize());
        transform.preprocess(images.get(0)); // warm-up
        long minNanos = (long) (seconds * 1e9);
        int done = 0;
        long start = System.nanoTime();
        while (done < images.size() || System.nanoTime() - start < minNanos) {
            transform.preprocess(images.get(done % images.size()));
            done++;
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private List<byte[]> images() throws IOException {
        if (imageDir == null) {
            return List.of(syntheticJpeg());
        }
        if (!Files.isDirectory(imageDir)) {
            throw new CommandFailure("--images " + imageDir + " is not a folder");
        }
        ClipImageTransform check = ClipImageTransform.openAi(224);
        List<byte[]> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(imageDir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(file);
                try {
                    check.preprocess(bytes);
                    images.add(bytes);
                } catch (InvalidImageException e) {
                    progress("skipping %s: %s", file.getFileName(), e.getMessage());
                }
            }
        }
        if (images.isEmpty()) {
            throw new CommandFailure("--images " + imageDir + " holds no image that decodes");
        }
        return images;
    }

    /** A 640×480 JPEG with smooth gradients and some noise, so that decoding does real work. */
    private static byte[] syntheticJpeg() throws IOException {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                int noise = random.nextInt(24);
                image.setRGB(x, y, ((x * 255 / 640) << 16) | (((y * 255 / 480 + noise) & 0xff) << 8) | ((x + y + noise) & 0xff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static ClipConfig preset(String name) {
        try {
            return ClipConfig.preset(name);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    private static Precision parsePrecision(String name) {
        try {
            return Precision.parse(name);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }
}
