package io.clipstream.schemas;

import java.util.Optional;

/**
 * What makes an embedding record unusable whatever its model version: the classifier and search reject it as an
 * invalid record.
 */
public final class EmbeddingCheck {

    private EmbeddingCheck() {
    }

    /** The problem with {@code embedding}, if it has one. */
    public static Optional<String> problem(ImageEmbedding embedding) {
        if (embedding.getImageId() == null || embedding.getImageId().isBlank()) {
            return Optional.of("the embedding has no image id");
        }
        if (embedding.getModelVersion() == null || embedding.getModelVersion().isBlank()) {
            return Optional.of("the embedding of " + embedding.getImageId() + " names no model version");
        }
        if (embedding.getVector().isEmpty()) {
            return Optional.of("the embedding of " + embedding.getImageId() + " has an empty vector");
        }
        double norm = 0;
        for (Float value : embedding.getVector()) {
            if (value == null || !Float.isFinite(value)) {
                return Optional.of("the embedding of " + embedding.getImageId() + " holds " + value);
            }
            norm += value * value;
        }
        if (norm == 0) {
            return Optional.of("the embedding of " + embedding.getImageId() + " is the zero vector (no direction to compare)");
        }
        return Optional.empty();
    }
}
