package io.clipstream.model.image;

import java.util.Optional;

/**
 * Image container formats recognised by their magic bytes. Only the {@link #decodable()} ones are decoded; the
 * others are recognised so that a HEIC photo is rejected as an unsupported format, not as "not an image".
 */
public enum ImageFormat {
    JPEG("jpeg", true),
    PNG("png", true),
    GIF("gif", true),
    BMP("bmp", true),
    WEBP("webp", true),
    TIFF("tiff", false),
    HEIF("heif", false),
    AVIF("avif", false),
    JPEG_2000("jpeg2000", false),
    JPEG_XL("jxl", false),
    PSD("psd", false);

    private final String imageIoName;
    private final boolean decodable;

    ImageFormat(String imageIoName, boolean decodable) {
        this.imageIoName = imageIoName;
        this.decodable = decodable;
    }

    /** The ImageIO format name of the reader for this format. */
    String imageIoName() {
        return imageIoName;
    }

    public boolean decodable() {
        return decodable;
    }

    /** The format the leading bytes announce, if any. Looks at most at the first 32 bytes. */
    public static Optional<ImageFormat> sniff(byte[] data) {
        if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(data, 0, 'G', 'I', 'F', '8') && (startsWith(data, 4, '7', 'a') || startsWith(data, 4, '9', 'a'))) {
            return Optional.of(GIF);
        }
        if (startsWith(data, 0, 'B', 'M') && hasBmpInfoHeader(data)) {
            return Optional.of(BMP);
        }
        if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        if (startsWith(data, 0, 'I', 'I', 42, 0) || startsWith(data, 0, 'M', 'M', 0, 42)) {
            return Optional.of(TIFF);
        }
        if (startsWith(data, 4, 'f', 't', 'y', 'p')) {
            if (startsWith(data, 8, 'a', 'v', 'i', 'f') || startsWith(data, 8, 'a', 'v', 'i', 's')) {
                return Optional.of(AVIF);
            }
            for (String brand : new String[] {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"}) {
                if (startsWith(data, 8, brand.charAt(0), brand.charAt(1), brand.charAt(2), brand.charAt(3))) {
                    return Optional.of(HEIF);
                }
            }
        }
        if (startsWith(data, 0, 0, 0, 0, 0x0C, 'j', 'P', ' ', ' ') || startsWith(data, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return Optional.of(JPEG_2000);
        }
        if (startsWith(data, 0, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ') || startsWith(data, 0, 0xFF, 0x0A)) {
            return Optional.of(JPEG_XL);
        }
        if (startsWith(data, 0, '8', 'B', 'P', 'S')) {
            return Optional.of(PSD);
        }
        return Optional.empty();
    }

    /** "BM" alone is too weak (a text file may start with it): also require a known DIB header size. */
    private static boolean hasBmpInfoHeader(byte[] data) {
        if (data.length < 18) {
            return false;
        }
        int size = (data[14] & 0xff) | (data[15] & 0xff) << 8 | (data[16] & 0xff) << 16 | (data[17] & 0xff) << 24;
        return size == 12 || size == 16 || size == 40 || size == 52 || size == 56 || size == 64
                || size == 108 || size == 124;
    }

    private static boolean startsWith(byte[] data, int offset, int... magic) {
        if (data.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[offset + i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
