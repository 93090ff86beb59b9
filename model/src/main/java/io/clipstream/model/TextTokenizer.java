package io.clipstream.model;

import java.util.List;

/**
 * Texts to fixed-length rows of token ids ([texts][context length], padded), as
 * {@code io.clipstream.model.text.ClipTokenizer#tokenizeBatch} produces them; a method reference
 * {@code tokenizer::tokenizeBatch} fits.
 */
@FunctionalInterface
public interface TextTokenizer {

    long[][] tokenizeBatch(List<String> texts);
}
