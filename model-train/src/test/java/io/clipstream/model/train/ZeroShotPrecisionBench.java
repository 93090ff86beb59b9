package io.clipstream.model.train;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.CastParameterStore;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.zeroshot.PromptEnsemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The zero-shot accuracy of a trained model served in bf16 against the same model in fp32: the "zero-shot
 * top-1 of a trained checkpoint unchanged within noise". A tiny CLIP trains on the emoji corpus's Google-style pairs
 * ({@link EmojiExperiment}, as {@code TrainEmojiTest}, longer), then classifies Twitter-style drawings of
 * {@code concepts} trained concepts among their labels, once in fp32 and once through a {@link CastParameterStore} in
 * bf16 — the serving path of the embedder and the classifier ({@code ServedModel}) — with the label alone and with
 * a template. It prints both accuracies, the images whose top-1 changed, the paired difference with its standard
 * error, and the cosine between the two precisions' embeddings. Asserts nothing.
 *
 * <p>Run: {@code ./mvnw -o -B -q -pl model-train -am -Pbench test -Dtest=ZeroShotPrecisionBench
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dbench.zeroshot.steps=N} (400), {@code .concepts} (400),
 * {@code .config} ({@code tiny}).
 */
@Tag("bench")
class ZeroShotPrecisionBench {

    @Test
    void bf16AgainstFp32OnATrainedModel() {
        int steps = Integer.getInteger("bench.zeroshot.steps", 400);
        int concepts = Integer.getInteger("bench.zeroshot.concepts", 400);
        ClipConfig config = ClipConfig.preset(System.getProperty("bench.zeroshot.config", "tiny"));
        System.out.printf(Locale.ROOT, "ZeroShotPrecisionBench: %s, config %s, %d steps of 64, %d concepts, load %s%n",
                Engines.describe(), config, steps, concepts, TrainingPrecisionBench.loadAverage());
        try (EmojiExperiment experiment = new EmojiExperiment(config, 2048, 200, concepts, 7)) {
            TrainingConfig training = TrainingConfig.of(LearningRateSchedule.warmupCosine(1e-3, 15, steps))
                    .withOptimizer(AdamW.Settings.openClip().withWeightDecay(0.1));
            experiment.train(training, 64, steps, steps);
            ClipModel model = experiment.model();
            NDManager manager = experiment.manager();
            NDArray pixels = experiment.zeroShotPixels();
            List<String> labels = experiment.zeroShotLabels();
            try (NDManager castManager = manager.newSubManager()) {
                CastParameterStore bf16 = new CastParameterStore(castManager, Precision.BF16);
                float[] imagesFp32 = unit(model.encodeImage(pixels));
                float[] imagesBf16 = unit(model.encodeImage(pixels, bf16));
                int dimension = config.embedDim();
                System.out.printf(Locale.ROOT, "ZeroShotPrecisionBench: image embeddings, cosine bf16 vs fp32: %s%n",
                        cosines(imagesFp32, imagesBf16, dimension));
                for (String template : List.of("{}", EmojiExperiment.PROMPT)) {
                    List<List<String>> prompts = labels.stream().map(l -> List.of(template.replace("{}", l))).toList();
                    float[] textFp32 = labelRows(prompts, dimension, manager, experiment,
                            ids -> model.encodeText(ids));
                    float[] textBf16 = labelRows(prompts, dimension, manager, experiment,
                            ids -> model.encodeText(ids, bf16));
                    int[] rankFp32 = ranks(imagesFp32, textFp32, dimension);
                    int[] rankBf16 = ranks(imagesBf16, textBf16, dimension);
                    report(template, rankFp32, rankBf16, cosines(textFp32, textBf16, dimension));
                }
            }
        }
        System.out.printf(Locale.ROOT, "ZeroShotPrecisionBench: load after %s%n", TrainingPrecisionBench.loadAverage());
    }

    private static float[] labelRows(List<List<String>> prompts, int dimension, NDManager manager,
            EmojiExperiment experiment, Function<NDArray, NDArray> encoder) {
        return PromptEnsemble.unitLabelRows(prompts, dimension, 512, manager, (scope, batch) -> {
            NDArray ids = scope.create(experiment.tokenizer().tokenizeBatch(batch));
            return unit(encoder.apply(ids));
        });
    }

    private static float[] unit(NDArray features) {
        try (features; NDArray unit = ClipModel.l2Normalize(features)) {
            return unit.toFloatArray();
        }
    }

    /** Per image i (label i), how many labels score strictly higher than its own: 0 is a top-1 hit. */
    private static int[] ranks(float[] images, float[] labels, int dimension) {
        int n = images.length / dimension;
        int classes = labels.length / dimension;
        int[] ranks = new int[n];
        for (int i = 0; i < n; i++) {
            double own = dot(images, i, labels, i, dimension);
            for (int c = 0; c < classes; c++) {
                if (dot(images, i, labels, c, dimension) > own) {
                    ranks[i]++;
                }
            }
        }
        return ranks;
    }

    private static double dot(float[] a, int row, float[] b, int other, int dimension) {
        double sum = 0;
        for (int d = 0; d < dimension; d++) {
            sum += (double) a[row * dimension + d] * b[other * dimension + d];
        }
        return sum;
    }

    private static String cosines(float[] a, float[] b, int dimension) {
        int n = a.length / dimension;
        double min = 1;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double cosine = dot(a, i, b, i, dimension); // both unit rows
            min = Math.min(min, cosine);
            sum += cosine;
        }
        return String.format(Locale.ROOT, "min %.5f mean %.5f over %d", min, sum / n, n);
    }

    private static void report(String template, int[] fp32, int[] bf16, String textCosines) {
        int n = fp32.length;
        int top1Fp32 = 0;
        int top1Bf16 = 0;
        int top5Fp32 = 0;
        int top5Bf16 = 0;
        int gained = 0;
        int lost = 0;
        int moved = 0;
        for (int i = 0; i < n; i++) {
            boolean hitFp32 = fp32[i] == 0;
            boolean hitBf16 = bf16[i] == 0;
            top1Fp32 += hitFp32 ? 1 : 0;
            top1Bf16 += hitBf16 ? 1 : 0;
            top5Fp32 += fp32[i] < 5 ? 1 : 0;
            top5Bf16 += bf16[i] < 5 ? 1 : 0;
            gained += !hitFp32 && hitBf16 ? 1 : 0;
            lost += hitFp32 && !hitBf16 ? 1 : 0;
            moved += fp32[i] != bf16[i] ? 1 : 0;
        }
        // Paired difference of top-1 (bf16 - fp32) per image, and its standard error over the images.
        double mean = (gained - lost) / (double) n;
        double variance = ((gained + lost) / (double) n - mean * mean) * n / (n - 1.0);
        double standardError = Math.sqrt(Math.max(0, variance) / n);
        // The sampling noise of one accuracy itself, for scale: sqrt(p (1 - p) / n).
        double p = top1Fp32 / (double) n;
        System.out.printf(Locale.ROOT, "ZeroShotPrecisionBench: prompt \"%s\": top-1 fp32 %.4f bf16 %.4f (bf16 - fp32"
                        + " %+.4f ± %.4f paired, %d gained, %d lost; sampling error of top-1 itself ± %.4f); top-5 fp32"
                        + " %.4f bf16 %.4f; %d of %d images changed rank; text embeddings, cosine %s; chance %.4f%n",
                template, top1Fp32 / (double) n, top1Bf16 / (double) n, mean, standardError, gained, lost,
                Math.sqrt(p * (1 - p) / n), top5Fp32 / (double) n, top5Bf16 / (double) n, moved, n, textCosines,
                1.0 / n);
    }
}
