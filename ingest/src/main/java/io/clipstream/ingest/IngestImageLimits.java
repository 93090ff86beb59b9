package io.clipstream.ingest;

import io.clipstream.model.image.ImageLimitsConfig;
import io.smallrye.config.ConfigMapping;

/** The image limits shared with the embedder ({@code clipstream.image.*}): the decoder's and the URL fetch's. */
@ConfigMapping(prefix = ImageLimitsConfig.PREFIX)
public interface IngestImageLimits extends ImageLimitsConfig {
}
