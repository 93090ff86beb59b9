package io.clipstream.search;

import io.clipstream.model.serve.CheckpointSource;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rolled-out model version, read where the embedder and classifier read it (the rollout file, else
 * {@code clipstream.model.checkpoint}) at each use, so a rollout changes what queries are answered with at once.
 */
public final class ServingVersion {

    private static final Logger LOG = LoggerFactory.getLogger(ServingVersion.class);

    private final CheckpointSource source;

    public ServingVersion(CheckpointSource source) {
        this.source = source;
    }

    public Optional<String> get() {
        try {
            return source.requested().map(CheckpointSource.Requested::reference);
        } catch (IOException e) {
            LOG.warn("cannot read the rollout ({}): {}", source.howToConfigure(), e.toString());
            return Optional.empty();
        }
    }
}
