package io.clipstream.model.image;


import io.clipstream.schemas.RejectReason;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * CLIP's image preprocessing, as OpenAI's {@code clip.load} and Hugging Face's {@code CLIPImageProcessor} apply
 * it: resize so the shorter side is {@code size} (Pillow bicubic), centre crop {@code size}², then
 * {@code (x / 255 - mean) / std} per channel into a CHW float tensor.
 *
 * <p>Split in two on purpose: ingest stores the uint8 result of {@link #resizeAndCrop}, the trainer and the
 * embedder batch such images with {@link #toPixelValues} (the model's {@code PixelTensors}). Immutable and thread-safe.
 */
public final class ClipImageTransform {

    /** OpenAI CLIP's normalisation, also used by OpenCLIP and Hugging Face for CLIP checkpoints. */
    public static final float[] OPENAI_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] OPENAI_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /** Readers' own buffers (rows, tables, the inflater's window) beside the image-sized ones, in decode costs. */
    private static final long DECODER_OVERHEAD = 1L << 20;

    private final int size;
    private final float[] mean;
    private final float[] std;
    private final ImageDecoder decoder;
    /** (v / 255 - mean) / std for every byte value v and channel, computed in float32 like torchvision. */
    private final float[][] normalised = new float[3][256];

    /** The transform at {@code size} with the given normalisation, decoding with the default limits. */
    public ClipImageTransform(int size, float[] mean, float[] std) {
        this(size, mean, std, new ImageDecoder());
    }

    public ClipImageTransform(int size, float[] mean, float[] std, ImageDecoder decoder) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need one value per RGB channel");
        }
        this.size = size;
        this.mean = mean.clone();
        this.std = std.clone();
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        for (int c = 0; c < 3; c++) {
            if (!(std[c] > 0)) {
                throw new IllegalArgumentException("std must be positive: " + std[c]);
            }
            for (int v = 0; v < 256; v++) {
                normalised[c][v] = ((float) v / 255f - mean[c]) / std[c];
            }
        }
    }

    /** OpenAI CLIP at {@code size} pixels, decoding with the default limits. */
    public static ClipImageTransform openAi(int size) {
        return new ClipImageTransform(size, OPENAI_MEAN, OPENAI_STD);
    }

    public ClipImageTransform withDecoder(ImageDecoder other) {
        return new ClipImageTransform(size, mean, std, other);
    }

    public int size() {
        return size;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    /** Decode, then {@link #resizeAndCrop}: encoded bytes to the {@code size}² uint8 image ingest stores. */
    public RgbImage preprocess(byte[] encoded) throws InvalidImageException {
        return resizeAndCrop(decoder.decode(encoded));
    }

    /**
     * {@link #preprocess} under {@code budget}: the image's declared {@link #decodeCost} is taken before decoding
     * (waiting as long as it takes) and given back once the {@code size}² result is made. An image that declares
     * more than the whole budget is rejected ({@code IMAGE_TOO_MANY_PIXELS}): decoding it could exhaust the heap
     * (e.g. 16 × 2,400,000 px, under the pixel limit, whose resize to 224 px would need 30 GB).
     */
    public RgbImage preprocess(byte[] encoded, DecodeBudget budget) throws InvalidImageException, InterruptedException {
        try (DecodeBudget.Permit ignored = budget.acquire(affordableCost(encoded, budget))) {
            return preprocess(encoded);
        }
    }

    /**
     * {@link #preprocess} under {@code budget}, waiting at most {@code wait} for it.
     *
     * @throws DecodeBudgetExhaustedException when the budget could not be had in time
     */
    public RgbImage preprocess(byte[] encoded, DecodeBudget budget, Duration wait)
            throws InvalidImageException, InterruptedException {
        long cost = affordableCost(encoded, budget);
        try (DecodeBudget.Permit ignored = budget.tryAcquire(cost, wait)
                .orElseThrow(() -> new DecodeBudgetExhaustedException(cost, budget.capacity(), wait))) {
            return preprocess(encoded);
        }
    }

    private long affordableCost(byte[] encoded, DecodeBudget budget) throws InvalidImageException {
        long cost = decodeCost(encoded);
        if (!budget.fits(cost)) {
            ImageInfo header = decoder.inspect(encoded);
            throw new InvalidImageException(RejectReason.IMAGE_TOO_MANY_PIXELS,
                    header.width() + "x" + header.height() + " needs " + cost + " bytes of decode and resize buffers,"
                            + " more than the whole decode budget of " + budget.capacity());
        }
        return cost;
    }

    /**
     * The heap {@link #preprocess} may need for this image, in bytes, from its header alone (every limit checked,
     * no pixel decoded): the decoder's raster, the RGB copy, the EXIF-rotated copy (JPEG) and the resize's
     * intermediate rows. An upper bound: buffers freed on the way are counted as if all were live at once.
     */
    public long decodeCost(byte[] encoded) throws InvalidImageException {
        ImageInfo header = decoder.inspect(encoded);
        long pixels = (long) header.width() * header.height();
        long raster = pixels * rasterBytesPerPixel(header.format(), encoded);
        long rgb = pixels * 3;
        long rotated = header.format() == ImageFormat.JPEG ? rgb : 0;
        // Either side may be the shorter one after EXIF rotation: take the larger intermediate of the two.
        long resize = Math.max(resizeBytes(header.width(), header.height()), resizeBytes(header.height(), header.width()));
        return raster + rgb + rotated + resize + DECODER_OVERHEAD;
    }

    /**
     * {@link PillowResize}'s int intermediate (the source rows at the output width, 3 ints a pixel), its output, and
     * the filter coefficients (bicubic: at most ~4 taps per source pixel on downscale, 5 per output one on upscale).
     */
    private long resizeBytes(int width, int height) {
        int[] resized = resizedSize(width, height, size);
        long coefficients = 32L * (resized[0] + resized[1] + width + height);
        return (long) resized[0] * height * 3 * Integer.BYTES + (long) resized[0] * resized[1] * 3 + coefficients;
    }

    /** What the format's reader holds per pixel before conversion to RGB, by the worst case the header allows. */
    private static long rasterBytesPerPixel(ImageFormat format, byte[] encoded) {
        return switch (format) {
            case PNG -> pngRasterBytesPerPixel(encoded);
            // 3 bands, 4 for CMYK/YCCK; TwelveMonkeys' raster is byte-interleaved and read in place.
            case JPEG -> 4;
            // Palette indices, then expanded row by row.
            case GIF -> 1;
            // Up to 32 bits a pixel.
            case BMP -> 4;
            // The ARGB raster and the VP8L decoder's int pixels.
            default -> 8;
        };
    }

    /**
     * From IHDR (checked by {@link ImageDecoder#inspect} already): samples per pixel, × 2 for 16-bit depth, × 2 for
     * the JDK reader's own copy (measured: an 8-bit RGB PNG allocates ~1.8 rasters before conversion).
     */
    private static long pngRasterBytesPerPixel(byte[] encoded) {
        // 8 signature + 4 length + 4 type + 4 width + 4 height, then bit depth and colour type.
        int bitDepth = encoded[24] & 0xff;
        int samples = switch (encoded[25] & 0xff) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1; // grey, palette
        };
        return 2L * samples * (bitDepth == 16 ? 2 : 1);
    }

    /** Shorter side to {@code size} with Pillow's bicubic, then the centre {@code size}² square. */
    public RgbImage resizeAndCrop(RgbImage image) {
        int[] resized = resizedSize(image.width(), image.height(), size);
        // torchvision's center_crop: int(round((side - crop) / 2.0)), Python's round halves to even.
        int left = (int) Math.rint((resized[0] - size) / 2.0);
        int top = (int) Math.rint((resized[1] - size) / 2.0);
        // Only the crop's pixels are resampled: bit for bit the resize then the crop.
        return PillowResize.resizeWindow(image, resized[0], resized[1], left, top, size, size);
    }

    /**
     * torchvision's {@code Resize(size)} for an int size: the shorter side becomes {@code size}, the longer
     * {@code int(size * long / short)} (true division, truncated).
     */
    static int[] resizedSize(int width, int height, int size) {
        if (width <= height) {
            return new int[] {size, (int) ((double) ((long) size * height) / width)};
        }
        return new int[] {(int) ((double) ((long) size * width) / height), size};
    }

    /**
     * A batch of {@code size}² images as CLIP's normalised pixel values, {@code [N, 3, size, size]} in row-major
     * order in one float array, so that an engine copies the batch once (the model's {@code PixelTensors}).
     */
    public float[] toPixelValues(List<RgbImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        int plane = size * size;
        float[] data = new float[images.size() * 3 * plane];
        float[] red = normalised[0];
        float[] green = normalised[1];
        float[] blue = normalised[2];
        for (int n = 0; n < images.size(); n++) {
            RgbImage image = images.get(n);
            if (image.width() != size || image.height() != size) {
                throw new IllegalArgumentException("image " + n + " is " + image.width() + "x" + image.height()
                        + ", expected " + size + "x" + size + " (resizeAndCrop first)");
            }
            byte[] pixels = image.pixels();
            int base = n * 3 * plane;
            for (int i = 0, p = 0; i < plane; i++, p += 3) {
                data[base + i] = red[pixels[p] & 0xff];
                data[base + plane + i] = green[pixels[p + 1] & 0xff];
                data[base + 2 * plane + i] = blue[pixels[p + 2] & 0xff];
            }
        }
        return data;
    }
}
