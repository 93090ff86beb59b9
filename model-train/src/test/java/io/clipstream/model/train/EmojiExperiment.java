package io.clipstream.model.train;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.text.BpeTrainer;
import io.clipstream.model.text.ClipTokenizer;
import io.clipstream.model.zeroshot.ZeroShotHead;

import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Contrastive training on the emoji corpus's Google-style pairs, measured on held-out concepts
 * (retrieval among their Google-style pairs) and on Twitter-style images of trained concepts
 * (zero-shot, with prompts unlike the captions). The tokenizer is a BPE trained on the training
 * captions only; the model is the {@code tiny} preset with that vocabulary.
 */
final class EmojiExperiment implements AutoCloseable {

    static final String PROMPT = "an emoji of {}.";
    static final int[] RECALL_AT = {1, 5, 10};

    /** One measurement along the run. */
    record Point(long step, double seconds, float loss, RetrievalRecall recall, ZeroShotAccuracy zeroShot,
            ZeroShotAccuracy labelOnly) {

        String format() {
            return String.format(Locale.ROOT, "step %5d  %6.1f s  loss %.3f  recall@5 i→t %.3f t→i %.3f"
                    + "  recall@1 %.3f  zero-shot top-1 %.2f top-5 %.2f  (label only: %.2f / %.2f)", step, seconds,
                    loss, recall.imageToText(5), recall.textToImage(5), recall.mean(1), zeroShot.top1(),
                    zeroShot.top5(), labelOnly.top1(), labelOnly.top5());
        }
    }

    private final List<TrainingPair> training;
    private final PairBatcher batcher;
    private final ClipTokenizer tokenizer;
    private final NDManager manager;
    private final ClipModel model;
    private final PairBatch heldOut;
    private final PairBatch zeroShotImages;
    private final List<String> zeroShotLabels;
    private final int[] zeroShotTruth;
    private final Random sampling;

    EmojiExperiment(ClipConfig base, int vocabSize, int heldOutConcepts, int zeroShotConcepts, long seed) {
        EmojiCorpus.Split split = EmojiCorpus.split(heldOutConcepts, seed);
        tokenizer = ClipTokenizer.fromMergeRules(new BpeTrainer(vocabSize)
                .train(split.training().stream().map(EmojiCorpus.Emoji::caption).toList()));
        ClipConfig config = base.withVocabSize(tokenizer.vocabSize());
        batcher = new PairBatcher(ClipImageTransform.openAi(config.imageSize()), tokenizer::tokenizeBatch)
                .trimmingPadding();
        training = EmojiCorpus.pairs("google", split.training());
        sampling = new Random(seed);

        // Zero-shot: Twitter's drawings of trained concepts with distinct labels, seeded choice.
        List<EmojiCorpus.Emoji> candidates = new ArrayList<>(split.training());
        Collections.shuffle(candidates, new Random(seed + 1));
        List<EmojiCorpus.Emoji> chosen = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (EmojiCorpus.Emoji emoji : candidates) {
            if (chosen.size() < zeroShotConcepts && !labels.contains(emoji.label())) {
                chosen.add(emoji);
                labels.add(emoji.label());
            }
        }
        zeroShotLabels = List.copyOf(labels);
        zeroShotTruth = new int[chosen.size()];
        for (int i = 0; i < zeroShotTruth.length; i++) {
            zeroShotTruth[i] = i;
        }

        manager = Engines.newManager();
        Engines.pytorch().setRandomSeed((int) seed);
        model = new ClipModel(config).initialize(manager);
        heldOut = batcher.batch(EmojiCorpus.pairs("google", split.heldOut()), manager);
        zeroShotImages = batcher.batch(EmojiCorpus.pairs("twitter", chosen), manager);
    }

    ClipModel model() {
        return model;
    }

    ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /** The zero-shot images' pixels (Twitter-style drawings of trained concepts), row i of label {@code i}. */
    ai.djl.ndarray.NDArray zeroShotPixels() {
        return zeroShotImages.pixels();
    }

    /** The zero-shot labels, one per image, in the images' order. */
    List<String> zeroShotLabels() {
        return zeroShotLabels;
    }

    NDManager manager() {
        return manager;
    }

    int trainingPairs() {
        return training.size();
    }

    /**
     * Trains for {@code steps} steps of {@code batchSize} pairs (epochs of a seeded shuffle),
     * measuring at step 0, every {@code measureEvery} steps and at the end.
     */
    List<Point> train(TrainingConfig config, int batchSize, int steps, int measureEvery) {
        List<Point> curve = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < training.size(); i++) {
            order.add(i);
        }
        int cursor = order.size();
        long start = System.nanoTime();
        float loss = Float.NaN;
        try (ClipTrainer trainer = ClipTrainer.create(model, config)) {
            curve.add(measure(0, 0, loss));
            System.out.println(curve.get(curve.size() - 1).format());
            for (int step = 1; step <= steps; step++) {
                if (cursor + batchSize > order.size()) {
                    Collections.shuffle(order, sampling);
                    cursor = 0;
                }
                List<TrainingPair> pairs = new ArrayList<>(batchSize);
                for (int i = 0; i < batchSize; i++) {
                    pairs.add(training.get(order.get(cursor++)));
                }
                try (NDManager scope = manager.newSubManager(); PairBatch batch = batcher.batch(pairs, scope)) {
                    loss = trainer.step(batch.pixels(), batch.tokenIds()).loss();
                }
                if (step % measureEvery == 0 || step == steps) {
                    curve.add(measure(step, (System.nanoTime() - start) / 1e9, loss));
                    System.out.println(curve.get(curve.size() - 1).format());
                }
            }
        }
        return curve;
    }

    Point measure(long step, double seconds, float loss) {
        RetrievalRecall recall = Evaluation.retrievalRecall(model, heldOut.pixels(), heldOut.tokenIds(), 256,
                RECALL_AT);
        return new Point(step, seconds, loss, recall, zeroShot(PROMPT), zeroShot("{}"));
    }

    ZeroShotAccuracy zeroShot(String template) {
        try (ZeroShotHead head = ZeroShotHead.build(model, tokenizer::tokenizeBatch, zeroShotLabels,
                List.of(template), manager)) {
            return Evaluation.zeroShotAccuracy(model, head, zeroShotImages.pixels(), zeroShotTruth, 256);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
