package io.clipstream.model.train;

import io.clipstream.model.TextTokenizer;
import io.clipstream.model.engine.PixelTensors;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.RgbImage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns image–caption pairs into batch tensors: the images through
 * {@link io.clipstream.model.engine.PixelTensors#of} (resized and cropped first when not at the transform's size),
 * the captions through the tokenizer's {@code tokenizeBatch}.
 *
 * <p>{@link #trimmingPadding()} gives a batcher that cuts the token columns behind the longest
 * caption's end-of-text. That changes no embedding (the text tower is causal and reads each row
 * at its end-of-text token) and saves most of the text tower's work on short captions: a 10-token
 * caption padded to 77 costs 7× its own length.
 */
public final class PairBatcher {

    private final ClipImageTransform transform;
    private final TextTokenizer tokenizer;
    private final boolean trimPadding;

    public PairBatcher(ClipImageTransform transform, TextTokenizer tokenizer) {
        this(transform, tokenizer, false);
    }

    private PairBatcher(ClipImageTransform transform, TextTokenizer tokenizer, boolean trimPadding) {
        this.transform = transform;
        this.tokenizer = tokenizer;
        this.trimPadding = trimPadding;
    }

    /** The same batcher, cutting the all-padding token columns at the end of every batch. */
    public PairBatcher trimmingPadding() {
        return new PairBatcher(transform, tokenizer, true);
    }

    /** The batch's tensors, allocated in {@code manager}. */
    public PairBatch batch(List<TrainingPair> pairs, NDManager manager) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        List<RgbImage> images = new ArrayList<>(pairs.size());
        List<String> captions = new ArrayList<>(pairs.size());
        for (TrainingPair pair : pairs) {
            RgbImage image = pair.image();
            boolean atSize = image.width() == transform.size() && image.height() == transform.size();
            images.add(atSize ? image : transform.resizeAndCrop(image));
            captions.add(pair.caption());
        }
        long[][] ids = tokenizer.tokenizeBatch(captions);
        if (trimPadding) {
            ids = trimPadding(ids);
        }
        NDArray pixels = PixelTensors.of(manager, transform, images);
        try {
            return new PairBatch(pixels, manager.create(ids));
        } catch (RuntimeException e) {
            pixels.close();
            throw e;
        }
    }

    /** Drops the columns that are padding (0) in every row, keeping at least one. */
    static long[][] trimPadding(long[][] ids) {
        int used = 1;
        for (long[] row : ids) {
            for (int t = row.length - 1; t >= used; t--) {
                if (row[t] != 0) {
                    used = t + 1;
                    break;
                }
            }
        }
        long[][] trimmed = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            trimmed[i] = Arrays.copyOf(ids[i], Math.min(used, ids[i].length));
        }
        return trimmed;
    }
}
