package io.clipstream.search;

import io.clipstream.model.serve.ModelSourceSettings;
import io.smallrye.config.ConfigMapping;

/**
 * {@code clipstream.model.*} as search reads it: where model versions come from ({@link ModelSourceSettings}); the
 * rolled-out version is what a query that names none is answered with.
 */
@ConfigMapping(prefix = "clipstream.model")
public interface ModelConfig extends ModelSourceSettings {
}
