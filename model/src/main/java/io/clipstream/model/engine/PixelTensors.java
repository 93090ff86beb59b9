package io.clipstream.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.RgbImage;
import java.util.List;

/** The engine's side of the image transform: a batch of transformed images as one tensor. */
public final class PixelTensors {

    private PixelTensors() {
    }

    /**
     * A batch of {@code transform.size()}² images as one normalised float32 tensor {@code [N, 3, size, size]} on
     * {@code manager}, copied to the engine once.
     */
    public static NDArray of(NDManager manager, ClipImageTransform transform, List<RgbImage> images) {
        int size = transform.size();
        return manager.create(transform.toPixelValues(images), new Shape(images.size(), 3, size, size));
    }
}
