package io.clipstream.classifier.scoring;

/**
 * An embedding's model version whose text encoder cannot be had: not in the artifact store, a hash mismatch, no
 * tokenizer, or vectors of another dimension. Its embeddings go to embeddings.rejected with this message.
 */
public final class ModelVersionUnavailableException extends RuntimeException {

    private final String modelVersion;

    public ModelVersionUnavailableException(String modelVersion, String message, Throwable cause) {
        super(message, cause);
        this.modelVersion = modelVersion;
    }

    public String modelVersion() {
        return modelVersion;
    }
}
