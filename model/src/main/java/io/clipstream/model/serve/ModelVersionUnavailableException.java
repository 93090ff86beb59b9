package io.clipstream.model.serve;

/**
 * A model version whose text encoder cannot be had: not in the artifact store, a hash mismatch, no tokenizer, or
 * vectors of another dimension. The classifier rejects its embeddings with this message; search answers its queries
 * with it.
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
