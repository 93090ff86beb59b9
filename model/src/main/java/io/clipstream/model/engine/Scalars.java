package io.clipstream.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Constants for arithmetic that autograd records.
 *
 * <p>DJL's {@code x.mul(2f)}, {@code div(Number)}, {@code minimum(Number)} and their kin wrap the
 * number in a tensor that PyTorch's {@code from_blob} builds over a Java direct buffer (on the CPU),
 * and close it as soon as the operation returns. Autograd keeps that tensor for the backward pass
 * of {@code mul}, {@code div}, {@code minimum}…, but the buffer belongs to the closed Java array:
 * once a garbage collection frees it, the backward multiplies by whatever the memory holds then
 * (seen: gradients of 1e20 and NaN, every time a GC ran between forward and backward). A constant
 * from here is allocated by PyTorch ({@code torch.full}), so the graph keeps it alive however
 * early its Java handle is closed. Inference and updates under {@link GradMode#disabled()} may use
 * DJL's number overloads: nothing is kept for later there.
 */
public final class Scalars {

    private Scalars() {
    }

    /** A 0-d tensor holding {@code value}, of {@code like}'s type (float32 for bf16), on its device, in its manager. */
    public static NDArray like(NDArray like, float value) {
        // A bf16 array's type has no DJL name (see Bfloat16): a float32 0-d tensor keeps its type
        // under PyTorch's promotion rules.
        DataType type = Bfloat16.isBfloat16(like) ? DataType.FLOAT32 : like.getDataType();
        return like.getManager().full(new Shape(), value, type, like.getDevice());
    }
}
