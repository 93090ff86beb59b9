package io.clipstream.classifier.scoring;

import io.clipstream.model.serve.ServedModel;
import io.clipstream.schemas.LabelSet;
import java.util.List;

/**
 * Label embeddings per (label set id, revision, model version): built once with that version's text encoder, reused
 * for every embedding of that version until the set changes or the entry ages out.
 */
public final class LabelEmbeddingCache implements AutoCloseable {

    public record Key(String labelSetId, long revision, String modelVersion) {
    }

    private final LeasedLru<Key, LabelEmbeddings> cache;

    public LabelEmbeddingCache(int capacity) {
        this.cache = new LeasedLru<>("label embeddings", capacity);
    }

    /** The embeddings of {@code set} under {@code model}; built on a miss. */
    public LeasedLru.Lease<LabelEmbeddings> acquire(LabelSet set, ServedModel model) {
        Key key = new Key(set.getId(), set.getRevision(), model.version());
        return cache.acquire(key, cached -> cached.builtFrom(set), k -> LabelEmbeddings.build(set, model));
    }

    public long hits() {
        return cache.hits();
    }

    public long misses() {
        return cache.misses();
    }

    public List<Key> keys() {
        return cache.keys();
    }

    @Override
    public void close() {
        cache.close();
    }
}
