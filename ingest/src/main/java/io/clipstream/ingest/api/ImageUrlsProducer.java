package io.clipstream.ingest.api;

import io.clipstream.ingest.IngestConfig;
import io.clipstream.ingest.IngestImageLimits;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** The image URL reader, built at start-up so that unusable URL settings stop the service with their reason. */
@ApplicationScoped
public class ImageUrlsProducer {

    @Produces
    @Singleton
    @Startup
    ImageUrls imageUrls(IngestConfig config, IngestImageLimits imageLimits, Vertx vertx) {
        IngestConfig.ImageUrlConfig urls = config.imageUrls();
        try {
            return ImageUrls.of(config.allowImageUrls(), urls.allowedPrefixes().orElse(List.of()),
                    urls.allowedNetworks().orElse(List.of()), new ImageUrls.Limits(imageLimits.limits().maxBytes(),
                            urls.maxRedirects(), urls.connectTimeout(), urls.timeout()), vertx);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    void close(@Disposes ImageUrls imageUrls) {
        imageUrls.close();
    }
}
