package io.clipstream.model.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.clipstream.schemas.RejectReason;

import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.util.Objects;

/**
 * The platform's one image decoder: encoded bytes (JPEG, PNG, GIF, BMP, WebP) to upright 8-bit RGB, exactly as
 * Pillow's {@code Image.open(...).convert("RGB")} sees them (plus EXIF orientation for JPEG), or a typed
 * {@link InvalidImageException}. Limits are checked on the header before any pixel is decoded. Thread-safe.
 */
public final class ImageDecoder {

    private final ImageLimits limits;

    public ImageDecoder() {
        this(ImageLimits.DEFAULT);
    }

    public ImageDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ImageLimits limits() {
        return limits;
    }

    /** Format and size from the header, with every limit checked; decodes no pixels. */
    public ImageInfo inspect(byte[] encoded) throws InvalidImageException {
        return read(encoded, acceptedFormat(encoded), reader -> null).header();
    }

    /** The image, upright, as RGB. */
    public RgbImage decode(byte[] encoded) throws InvalidImageException {
        ImageFormat format = acceptedFormat(encoded);
        if (format == ImageFormat.JPEG) {
            JpegStructure jpeg = JpegStructure.parse(encoded);
            // The raw raster: colour conversion is JpegColor's, so that it is libjpeg's and ignores ICC profiles.
            Decoded<Raster> raw = read(encoded, format, reader -> reader.readRaster(0, null));
            RgbImage stored = checkedSize(raw.header(), JpegColor.toRgb(raw.pixels(), jpeg.colorSpace()));
            return jpeg.orientation().apply(stored);
        }
        Decoded<BufferedImage> image = read(encoded, format, reader -> reader.read(0, null));
        RgbImage rgb = PillowRgb.convert(image.pixels());
        if (format == ImageFormat.GIF) {
            rgb = GifScreen.read(encoded).withFrameSize(rgb.width(), rgb.height())
                    .draw(rgb, image.pixels().getColorModel());
        }
        return checkedSize(image.header(), rgb);
    }

    /** Checks size and magic bytes: the cheap rejections, before any reader sees the data. */
    private ImageFormat acceptedFormat(byte[] encoded) throws InvalidImageException {
        if (encoded == null || encoded.length == 0) {
            throw new InvalidImageException(RejectReason.NOT_AN_IMAGE, "empty input");
        }
        if (encoded.length > limits.maxBytes()) {
            throw new InvalidImageException(RejectReason.IMAGE_TOO_MANY_BYTES,
                    encoded.length + " bytes, more than the limit of " + limits.maxBytes());
        }
        ImageFormat format = ImageFormat.sniff(encoded).orElseThrow(() -> new InvalidImageException(
                RejectReason.NOT_AN_IMAGE, "no known image signature in the first bytes"));
        if (!format.decodable()) {
            throw new InvalidImageException(RejectReason.UNSUPPORTED_IMAGE_FORMAT,
                    format + " images are not supported (JPEG, PNG, GIF, BMP and WebP are)");
        }
        if (format == ImageFormat.PNG) {
            PngChunks.verify(encoded);
        }
        if (format == ImageFormat.GIF) {
            // Pillow allocates the logical screen whatever the frame's size: guard it before any reader runs.
            GifScreen screen = GifScreen.header(encoded);
            checkPixelCount(screen.width(), screen.height());
        }
        return format;
    }

    /** Reads the header, checks the limits, then (only then) lets {@code reading} decode the first image. */
    private <T> Decoded<T> read(byte[] encoded, ImageFormat format, Reading<T> reading) throws InvalidImageException {
        ImageReader reader = ImageReaders.create(format);
        try (ImageInputStream input = new ByteArrayImageInputStream(encoded)) {
            reader.setInput(input);
            ImageInfo header = checkedHeader(reader, format, encoded);
            return new Decoded<>(header, reading.read(reader));
        } catch (IOException | RuntimeException e) {
            // Decoders signal corrupt input with all kinds of unchecked exceptions (index, argument, state).
            throw corrupt(format, e);
        } finally {
            reader.dispose();
        }
    }

    private static RgbImage checkedSize(ImageInfo header, RgbImage decoded) throws InvalidImageException {
        if (decoded.width() != header.width() || decoded.height() != header.height()) {
            throw new InvalidImageException(RejectReason.CORRUPT_IMAGE, header.format() + " header says "
                    + header.width() + "x" + header.height() + " but " + decoded.width() + "x" + decoded.height()
                    + " was decoded");
        }
        return decoded;
    }

    private ImageInfo checkedHeader(ImageReader reader, ImageFormat format, byte[] encoded)
            throws IOException, InvalidImageException {
        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IndexOutOfBoundsException e) {
            throw new InvalidImageException(RejectReason.CORRUPT_IMAGE, format + " contains no image frame", e);
        }
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException(RejectReason.CORRUPT_IMAGE, format + " header size " + width + "x" + height);
        }
        if (format == ImageFormat.GIF) {
            // The image is the logical screen (grown where the first frame reaches past it), as in Pillow.
            GifScreen screen = GifScreen.read(encoded).withFrameSize(width, height);
            width = screen.canvasWidth();
            height = screen.canvasHeight();
        }
        checkPixelCount(width, height);
        if (Math.min(width, height) < limits.minSide()) {
            throw new InvalidImageException(RejectReason.IMAGE_TOO_SMALL,
                    width + "x" + height + " has a side shorter than " + limits.minSide() + " pixels");
        }
        return new ImageInfo(format, width, height);
    }

    private void checkPixelCount(int width, int height) throws InvalidImageException {
        if ((long) width * height > limits.maxPixels()) {
            throw new InvalidImageException(RejectReason.IMAGE_TOO_MANY_PIXELS, width + "x" + height + " = "
                    + (long) width * height + " pixels, more than the limit of " + limits.maxPixels());
        }
    }

    private static InvalidImageException corrupt(ImageFormat format, Exception cause) {
        String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new InvalidImageException(RejectReason.CORRUPT_IMAGE, "cannot decode " + format + ": " + detail, cause);
    }

    @FunctionalInterface
    private interface Reading<T> {
        T read(ImageReader reader) throws IOException;
    }

    private record Decoded<T>(ImageInfo header, T pixels) {
    }
}
