package io.clipstream.model.image;

/**
 * The EXIF Orientation tag (0x0112): how the stored pixels must be turned to be seen upright. Applied as Pillow's
 * {@code ImageOps.exif_transpose} does.
 */
public enum ExifOrientation {
    NORMAL(1),
    MIRROR_HORIZONTAL(2),
    ROTATE_180(3),
    MIRROR_VERTICAL(4),
    TRANSPOSE(5),
    ROTATE_90_CW(6),
    TRANSVERSE(7),
    ROTATE_270_CW(8);

    private static final int ORIENTATION_TAG = 0x0112;
    private static final int TYPE_SHORT = 3;

    private final int tagValue;

    ExifOrientation(int tagValue) {
        this.tagValue = tagValue;
    }

    public int tagValue() {
        return tagValue;
    }

    /** The orientation for a tag value; values outside 1..8 mean no transform, as in every viewer. */
    public static ExifOrientation ofTagValue(int value) {
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    }

    public boolean swapsSides() {
        return ordinal() >= TRANSPOSE.ordinal();
    }

    /**
     * Reads the Orientation tag of IFD0 from a TIFF structure (the body of an APP1 "Exif\0\0" segment after its
     * 6-byte identifier). Malformed or absent data gives {@link #NORMAL}: a broken tag must not lose the image.
     */
    static ExifOrientation parseTiff(byte[] data, int start, int end) {
        if (end - start < 8 || end > data.length) {
            return NORMAL;
        }
        boolean littleEndian;
        if (data[start] == 'I' && data[start + 1] == 'I') {
            littleEndian = true;
        } else if (data[start] == 'M' && data[start + 1] == 'M') {
            littleEndian = false;
        } else {
            return NORMAL;
        }
        if (u16(data, start + 2, littleEndian) != 42) {
            return NORMAL;
        }
        long ifd = u32(data, start + 4, littleEndian);
        if (ifd < 8 || start + ifd + 2 > end) {
            return NORMAL;
        }
        int entries = u16(data, start + (int) ifd, littleEndian);
        int entry = start + (int) ifd + 2;
        for (int i = 0; i < entries && entry + 12 <= end; i++, entry += 12) {
            if (u16(data, entry, littleEndian) == ORIENTATION_TAG) {
                if (u16(data, entry + 2, littleEndian) != TYPE_SHORT || u32(data, entry + 4, littleEndian) < 1) {
                    return NORMAL;
                }
                return ofTagValue(u16(data, entry + 8, littleEndian));
            }
        }
        return NORMAL;
    }

    /** The image as it should be seen. */
    public RgbImage apply(RgbImage image) {
        if (this == NORMAL) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        int outW = swapsSides() ? h : w;
        int outH = swapsSides() ? w : h;
        // Source column/row as an affine function of the target (x, y): sx = ax*x + bx*y + cx, sy = ay*x + by*y + cy.
        int ax = 0, bx = 0, cx = 0, ay = 0, by = 0, cy = 0;
        switch (this) {
            case MIRROR_HORIZONTAL -> { ax = -1; cx = w - 1; by = 1; }
            case ROTATE_180 -> { ax = -1; cx = w - 1; by = -1; cy = h - 1; }
            case MIRROR_VERTICAL -> { ax = 1; by = -1; cy = h - 1; }
            case TRANSPOSE -> { bx = 1; ay = 1; }
            case ROTATE_90_CW -> { bx = 1; ay = -1; cy = h - 1; }
            case TRANSVERSE -> { bx = -1; cx = w - 1; ay = -1; cy = h - 1; }
            case ROTATE_270_CW -> { bx = -1; cx = w - 1; ay = 1; }
            default -> throw new IllegalStateException(name());
        }
        byte[] src = image.pixels();
        byte[] out = new byte[src.length];
        int stepX = (ay * w + ax) * 3;
        int stepY = (by * w + bx) * 3;
        int rowStart = (cy * w + cx) * 3;
        int o = 0;
        for (int y = 0; y < outH; y++, rowStart += stepY) {
            int s = rowStart;
            for (int x = 0; x < outW; x++, s += stepX) {
                out[o++] = src[s];
                out[o++] = src[s + 1];
                out[o++] = src[s + 2];
            }
        }
        return new RgbImage(outW, outH, out);
    }

    private static int u16(byte[] b, int i, boolean littleEndian) {
        return littleEndian
                ? (b[i] & 0xff) | (b[i + 1] & 0xff) << 8
                : (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static long u32(byte[] b, int i, boolean littleEndian) {
        return littleEndian
                ? (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                : (b[i] & 0xffL) << 24 | (b[i + 1] & 0xffL) << 16 | (b[i + 2] & 0xffL) << 8 | (b[i + 3] & 0xffL);
    }
}
