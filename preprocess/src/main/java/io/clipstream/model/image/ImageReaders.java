package io.clipstream.model.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import java.util.Iterator;

/**
 * Picks the ImageIO reader for a format. The TwelveMonkeys plugins are registered explicitly: ImageIO discovers
 * plugins through the context class loader of whichever thread touches it first, which in an application server
 * (Quarkus) may not see them.
 */
final class ImageReaders {

    static {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        registerIfAbsent(registry, new JPEGImageReaderSpi());
        registerIfAbsent(registry, new WebPImageReaderSpi());
    }

    private ImageReaders() {
    }

    /** A fresh reader (readers are stateful and not thread-safe); TwelveMonkeys' JPEG reader before the JDK's. */
    static ImageReader create(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format);
        }
        return readers.next();
    }

    private static void registerIfAbsent(IIORegistry registry, ImageReaderSpi provider) {
        if (registry.getServiceProviderByClass(provider.getClass()) == null) {
            registry.registerServiceProvider(provider, ImageReaderSpi.class);
        }
    }
}
