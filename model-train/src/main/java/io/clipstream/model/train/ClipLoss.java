package io.clipstream.model.train;

import io.clipstream.model.engine.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * CLIP's contrastive loss, as OpenCLIP's {@code loss.py} ({@code ClipLoss}): the logits are the
 * scaled cosine similarities of every image with every text, pair {@code i} is the right answer
 * for row {@code i}, and the loss is the mean of the image→text and text→image cross-entropies.
 *
 * <p>The API is OpenCLIP's {@code local_loss=True, gather_with_grad=True}: one shard (a device, a
 * micro-batch) scores its own rows against the features of the whole global batch, and the
 * shard's rows are the columns {@code offset .. offset + n} of it. The mean of the shards' local
 * losses is the full-batch loss, and when the gathered features keep their autograd history
 * (PyTorch's device copies do; {@code torch.distributed.nn.all_gather} does), so are the
 * gradients. On a single device the shard is the whole batch: {@link #loss}.
 *
 * <p>Everything is computed in float32, whatever precision produced the features. Results join
 * the manager of {@code localImage}.
 */
public final class ClipLoss {

    private ClipLoss() {
    }

    /** The whole batch on one device: rows and columns are the same features. */
    public static NDArray loss(NDArray image, NDArray text, NDArray scale) {
        return localLoss(image, text, image, text, 0, scale);
    }

    /**
     * One shard's loss against the gathered global batch.
     *
     * @param localImage this shard's L2-normalised image embeddings [n, E]
     * @param localText this shard's L2-normalised text embeddings [n, E]
     * @param allImage every shard's image embeddings, in shard order [N, E]
     * @param allText every shard's text embeddings, in shard order [N, E]
     * @param offset where this shard's rows sit in the global batch (rank × n for equal shards)
     * @param scale the logit scale {@code exp(logit_scale)}, a scalar (already clamped)
     * @return the scalar loss, mean over this shard's rows of both directions
     */
    public static NDArray localLoss(NDArray localImage, NDArray localText, NDArray allImage, NDArray allText,
            long offset, NDArray scale) {
        long n = localImage.getShape().get(0);
        long total = allText.getShape().get(0);
        if (localText.getShape().get(0) != n || allImage.getShape().get(0) != total) {
            throw new IllegalArgumentException("Image and text rows must pair up: local " + localImage.getShape()
                    + " / " + localText.getShape() + ", gathered " + allImage.getShape() + " / " + allText.getShape());
        }
        if (offset < 0 || offset + n > total) {
            throw new IllegalArgumentException("Shard rows " + offset + ".." + (offset + n)
                    + " lie outside the gathered batch of " + total);
        }
        try (NDManager scope = localImage.getManager().newSubManager(localImage.getDevice())) {
            // Attached once each: on one device the gathered features ARE the local ones, and an
            // array attached twice would be handed back to the scope instead of its owner.
            scope.tempAttachAll(distinct(localImage, localText, allImage, allText, scale));
            NDArray s = float32(scale);
            NDArray perImage = float32(localImage).matMul(float32(allText).transpose()).mul(s); // [n, N]
            NDArray perText = float32(localText).matMul(float32(allImage).transpose()).mul(s); // [n, N]
            // Halved by a PyTorch-owned constant: the backward of div reads it (see Scalars).
            NDArray loss = crossEntropyAt(perImage, offset).add(crossEntropyAt(perText, offset))
                    .div(Scalars.like(s, 2f));
            return scope.ret(loss);
        }
    }

    /** Mean cross-entropy of rows [n, N] whose right class is column {@code offset + row}. */
    private static NDArray crossEntropyAt(NDArray logits, long offset) {
        return logits.logSoftmax(1).diagonal((int) offset).mean().neg();
    }

    private static NDArray[] distinct(NDArray... arrays) {
        Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return Arrays.stream(arrays).filter(seen::add).toArray(NDArray[]::new);
    }

    private static NDArray float32(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    }
}
