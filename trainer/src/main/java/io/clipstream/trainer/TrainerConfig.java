package io.clipstream.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Trainer settings ({@code clipstream.trainer.*}). */
@ConfigMapping(prefix = "clipstream.trainer")
public interface TrainerConfig {

    /** Whether training starts with the service; off, it waits for {@code POST /trainer/resume}. */
    @WithDefault("true")
    boolean autostart();

    /** The topic of normalised pairs to train on. */
    @WithDefault("clipstream.pairs.normalized")
    String topic();

    /** Where checkpoints are announced (compacted, key = model version). */
    @WithDefault("clipstream.checkpoints")
    String checkpointsTopic();

    /** The config preset when training from scratch ({@code tiny}, {@code small}, {@code vit-b-32}, ...). */
    @WithDefault("tiny")
    String preset();

    /**
     * What training computes in: {@code fp32}, {@code bf16} (OpenCLIP's {@code amp_bf16}: Linear, attention and
     * patch-embedding products in bfloat16, float32 master weights, AdamW state, loss, layer norm, softmax and logit
     * scale) or {@code fp16} (the same in float16, GPU only). Checkpoints are float32 whatever it is.
     */
    @WithDefault("fp32")
    String precision();

    /** Published CLIP weights (safetensors, OpenAI or Hugging Face names) to start from when the store has no checkpoint. */
    Optional<Path> initWeights();

    /** Where to start reading a partition the resumed checkpoint does not name: {@code earliest} or {@code latest}. */
    @WithDefault("earliest")
    String startFrom();

    /**
     * Seed of shuffling, replay sampling and the caption mix (mixed with the step, so a resumed run does not repeat
     * its draws).
     */
    @WithDefault("1")
    long seed();

    Tokenizer tokenizer();

    Batch batch();

    HeldOut heldOut();

    Optimizer optimizer();

    Checkpointing checkpoint();

    Guardrail guardrail();

    /** The phrasings a pair's caption is drawn from each time it is trained on ({@code caption-mix.*}). */
    Captions captionMix();

    /** The crops and colour changes a pair's image is drawn with each time it is trained on ({@code augmentation.*}). */
    Augmentation augmentation();

    /** Zero-shot suites evaluated with every checkpoint, by name. */
    Map<String, ZeroShotSuite> zeroShot();

    /**
     * Peak FLOP/s of the device for the model-FLOPs utilisation; when unset, a 1024³ matrix product in the training
     * {@link #precision()} is timed at start-up and taken as the ceiling (right for CPUs; on a GPU, give the datasheet
     * figure).
     */
    OptionalDouble peakFlops();

    interface Tokenizer {
        /** Without a configured vocabulary, a byte-level BPE is trained on this many captions from the stream's start. */
        @WithDefault("10000")
        int bootstrapCaptions();

        /**
         * Fewer captions are enough once the topic has been quiet this long. Longer than the batches' idle flush: the
         * vocabulary is the model's for life, and the first pairs of a stream often trickle in (a flush-length pause
         * of ingest at start-up had it learn from 20 captions).
         */
        @WithDefault("PT30S")
        Duration bootstrapQuiet();

        /** Vocabulary size of that BPE (512 byte symbols, merges and 2 special tokens). */
        @WithDefault("8192")
        int vocabSize();
    }

    interface Batch {
        /** Pairs per step. */
        @WithDefault("32")
        int size();

        /** Share of each batch replayed from the reservoir of past pairs, against forgetting. */
        @WithDefault("0.25")
        double replayFraction();

        /** Pairs in the replay reservoir (a uniform sample of all pairs trained on). */
        @WithDefault("4096")
        int replayCapacity();

        /** Pairs held back to draw batches from at random. */
        @WithDefault("1024")
        int shuffleBuffer();

        /** Input quiet this long: pending pairs are trained on without waiting for a full shuffle buffer. */
        @WithDefault("PT5S")
        Duration idleFlush();

        /**
         * While the input is idle and nothing is pending, keep training on batches drawn from the replay reservoir
         * (passes over past pairs), once it holds a shuffle buffer's worth of pairs (or is full). Off by default: on a
         * live stream, idle time is not a reason to overfit the past.
         */
        @WithDefault("false")
        boolean rehearseWhenIdle();

        /** Batches prepared ahead of the device (tensors made while the previous step runs). */
        @WithDefault("2")
        int prefetch();
    }

    interface HeldOut {
        /** Share of pair ids (by hash) held out for evaluation and never trained on. */
        @WithDefault("0.01")
        double fraction();

        /** Held-out pairs kept as the fixed candidate pool of evaluation. */
        @WithDefault("512")
        int poolSize();
    }

    interface Optimizer {
        @WithDefault("5e-4")
        double learningRate();

        @WithDefault("200")
        long warmupSteps();

        /** {@code constant} (continual training has no last step) or {@code cosine} (needs total-steps). */
        @WithDefault("constant")
        String schedule();

        /** The step where the cosine schedule reaches zero. */
        Optional<Long> totalSteps();

        @WithDefault("0.2")
        double weightDecay();

        @WithDefault("1.0")
        double maxGradientNorm();

        /** The most pairs per forward/backward pass (0: the whole batch at once). */
        @WithDefault("0")
        int microBatchSize();
    }

    interface Checkpointing {
        /** A checkpoint after this many steps... */
        @WithDefault("1000")
        long everySteps();

        /** ...or after this long, whichever comes first (only when something was trained since the last). */
        @WithDefault("PT15M")
        Duration every();

        /** A checkpoint on graceful shutdown. */
        @WithDefault("true")
        boolean onShutdown();

        /** Rows per encoder call when evaluating. */
        @WithDefault("256")
        int evaluationBatch();

        Retry retry();

        Retention retention();

        /** A periodic checkpoint that fails is tried again after a backoff; training goes on meanwhile. */
        interface Retry {
            /** The wait after the first failure, doubled after each further one... */
            @WithDefault("PT30S")
            Duration initialBackoff();

            /** ...up to this. */
            @WithDefault("PT10M")
            Duration maxBackoff();

            /** After this many failures in a row, {@code /q/health/live} is DOWN (Kubernetes restarts the pod). */
            @WithDefault("5")
            int unhealthyAfter();
        }

        /**
         * Old checkpoints of this trainer are deleted after each checkpoint, except the newest {@code keep-last}, the
         * newest {@code keep-passed} that passed, the resume version with its ancestors back to the nearest passed
         * one, and versions named by {@code rollout-files}. The trainer cannot see a cluster's rollout (a
         * hash-named ConfigMap of the embedder and classifier): keep-passed must cover how far the served version lags.
         */
        interface Retention {
            @WithDefault("true")
            boolean enabled();

            @WithDefault("10")
            int keepLast();

            @WithDefault("5")
            int keepPassed();

            /** Rollout files ({@code CLIPSTREAM_MODEL_CHECKPOINT=<version>}) whose version is never deleted. */
            Optional<List<Path>> rolloutFiles();
        }
    }

    interface Guardrail {
        /**
         * A candidate fails when a recall@k or zero-shot accuracy is worse than its baseline's on the same pool beyond
         * chance: a one-sided exact McNemar test on the per-item hits, each measure at this significance divided by
         * the number of measures compared — so a candidate as good as its baseline is rejected at most this often.
         */
        @WithDefault("0.05")
        double significance();

        /** ...or when its held-out loss rises more than this fraction above the baseline's. */
        @WithDefault("0.05")
        double lossTolerance();
    }

    /**
     * Captions that teach phrasing: each time a pair goes into a batch, its caption is drawn from its name, its name
     * with its keywords, or its name inside one of the templates, in proportion to the shares. Held-out pairs keep
     * their caption as sent; a vocabulary bootstrapped from the stream learns every phrasing.
     */
    interface Captions {
        @WithDefault("false")
        boolean enabled();

        /** The attribute holding the pair's name (absent: the caption as sent is the name). */
        @WithDefault("label")
        String nameAttribute();

        /** The attribute holding its comma-separated keywords (absent: the name alone). */
        @WithDefault("keywords")
        String keywordsAttribute();

        /**
         * Sentences with {} for the name; not the zero-shot evaluation templates, which stay unseen. In a properties
         * file a comma inside a template is written {@code \\,}, or the list is given as {@code templates[0]=...}.
         */
        @WithDefault("a picture of {}.,{}\\, drawn as an emoji.,an icon showing {}.,this is {}.,a small image of {}.,{} in a drawing.,{} as a cartoon.,{} on a sticker.,an illustration showing {}.,clip art: {}.,{} as a pictogram.,the {} symbol.,the {} emoji.,a colourful {}.,{} on a white background.,a close-up showing {}.,{} drawn in a flat style.,look: {}!,{} in bright colours.,here is {}.")
        List<String> templates();

        @WithDefault("0.3333333333333333")
        double nameShare();

        @WithDefault("0.3333333333333333")
        double keywordsShare();

        @WithDefault("0.3333333333333333")
        double templateShare();
    }

    /**
     * Images that teach what a concept looks like rather than one picture of it: each time a pair goes into a batch,
     * its image is a random crop (a share of the area, an aspect ratio) resampled to the model's size, mirrored now
     * and then, with jittered brightness, contrast and saturation, and sometimes grey. Held-out pairs and zero-shot
     * images are never augmented.
     */
    interface Augmentation {
        @WithDefault("false")
        boolean enabled();

        /** The smallest share of the image's area a crop keeps, in (0, 1]; 1: no crop. */
        @WithDefault("0.5")
        double minScale();

        /** The widest aspect ratio of a crop (and 1/that the tallest). */
        @WithDefault("1.3333333333333333")
        double maxAspect();

        /** How often the image is mirrored left to right: 0 by default, as a mirrored "left arrow" points right. */
        @WithDefault("0")
        double flipProbability();

        /** Brightness factor drawn in [1 - this, 1 + this]. */
        @WithDefault("0.3")
        double brightness();

        /** Contrast factor drawn in [1 - this, 1 + this]. */
        @WithDefault("0.3")
        double contrast();

        /** Saturation factor drawn in [1 - this, 1 + this]. */
        @WithDefault("0.3")
        double saturation();

        /** How often the image is made grey. */
        @WithDefault("0.1")
        double greyProbability();
    }

    interface ZeroShotSuite {
        /** A JSON Lines file of {@code {"file": ..., "label": ...}} (the emoji fixture's pairs.jsonl fits). */
        Path index();

        /** The folder the files are relative to (default: the index's folder). */
        Optional<Path> images();

        /** Prompt templates, each with {} for the label. */
        @WithDefault("a photo of a {}.")
        List<String> templates();

        /** At most this many images (the first ones of the index). */
        @WithDefault("1000")
        int limit();
    }
}
