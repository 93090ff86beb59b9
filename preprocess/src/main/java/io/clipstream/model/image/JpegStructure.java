package io.clipstream.model.image;

import io.clipstream.schemas.RejectReason;

/**
 * What the decoder needs from a JPEG's marker segments, read without decoding: the frame type, the colour space
 * libjpeg infers (and so Pillow gets), the EXIF orientation, and whether the stream reaches its EOI marker.
 *
 * <p>The completeness check walks the entropy-coded data too: a truncated JPEG decodes "successfully" in ImageIO
 * (grey rows and a warning) where Pillow raises "image file is truncated", so it must be caught here.
 */
record JpegStructure(int width, int height, JpegColorSpace colorSpace, ExifOrientation orientation) {

    /** How libjpeg's {@code jpeg_read_header} interprets the components (jdapimin.c, default_decompress_parms). */
    enum JpegColorSpace { GRAY, YCBCR, RGB, CMYK, YCCK }

    private static final int SOF0 = 0xC0, SOF1 = 0xC1, SOF2 = 0xC2, DHT = 0xC4, JPG = 0xC8, DAC = 0xCC;
    private static final int RST0 = 0xD0, RST7 = 0xD7, SOI = 0xD8, EOI = 0xD9, SOS = 0xDA, TEM = 0x01;
    private static final int APP0 = 0xE0, APP1 = 0xE1, APP14 = 0xEE;

    static JpegStructure parse(byte[] data) throws InvalidImageException {
        return new Parser(data).parse();
    }

    private static final class Parser {
        private final byte[] data;
        private int pos = 2;
        private int sofMarker = -1;
        private int precision;
        private int width;
        private int height;
        private int[] componentIds;
        private boolean jfif;
        private int adobeTransform = -1;
        private ExifOrientation orientation;

        Parser(byte[] data) {
            this.data = data;
        }

        JpegStructure parse() throws InvalidImageException {
            boolean seenScan = false;
            while (true) {
                int marker = nextMarker();
                if (marker < 0) {
                    throw truncated();
                }
                if (marker == EOI) {
                    break;
                }
                if (marker == SOI || marker == TEM || (marker >= RST0 && marker <= RST7)) {
                    continue; // standalone markers, no length
                }
                if (pos + 2 > data.length) {
                    throw truncated();
                }
                int length = u16(pos);
                if (length < 2) {
                    throw corrupt("segment length " + length + " of marker 0x" + Integer.toHexString(marker));
                }
                int start = pos + 2;
                int end = pos + length;
                if (end > data.length) {
                    throw truncated();
                }
                readSegment(marker, start, end);
                pos = end;
                if (marker == SOS) {
                    if (sofMarker < 0) {
                        throw corrupt("scan before frame header");
                    }
                    seenScan = true;
                    skipEntropyCodedData();
                }
            }
            if (!seenScan) {
                throw corrupt("no image data (no start-of-scan before the end marker)");
            }
            return new JpegStructure(width, height, colorSpace(),
                    orientation == null ? ExifOrientation.NORMAL : orientation);
        }

        /** The next marker code, skipping junk and fill bytes as libjpeg and Pillow do; -1 at the end of data. */
        private int nextMarker() {
            while (pos < data.length) {
                if (data[pos] != (byte) 0xFF) {
                    pos++;
                    continue;
                }
                while (pos < data.length && data[pos] == (byte) 0xFF) {
                    pos++;
                }
                if (pos >= data.length) {
                    return -1;
                }
                int code = data[pos++] & 0xff;
                if (code != 0x00) {
                    return code;
                }
            }
            return -1;
        }

        /** Advances to the 0xFF of the first marker after a scan; leaves pos at the end when there is none. */
        private void skipEntropyCodedData() {
            int n = data.length;
            while (pos < n) {
                if (data[pos] != (byte) 0xFF) {
                    pos++;
                    continue;
                }
                if (pos + 1 >= n) {
                    pos = n;
                    return;
                }
                int next = data[pos + 1] & 0xff;
                if (next == 0x00 || (next >= RST0 && next <= RST7)) {
                    pos += 2; // stuffed zero or restart marker: still inside the scan
                } else if (next == 0xFF) {
                    pos++;    // fill byte
                } else {
                    return;
                }
            }
        }

        private void readSegment(int marker, int start, int end) throws InvalidImageException {
            if (marker == APP0 && matches(start, end, "JFIF\0")) {
                jfif = true;
            } else if (marker == APP1 && orientation == null && matches(start, end, "Exif\0\0")) {
                orientation = ExifOrientation.parseTiff(data, start + 6, end);
            } else if (marker == APP14 && end - start >= 12 && matches(start, end, "Adobe")) {
                adobeTransform = data[start + 11] & 0xff;
            } else if (isFrameHeader(marker) && sofMarker < 0) {
                readFrameHeader(marker, start, end);
            }
        }

        private void readFrameHeader(int marker, int start, int end) throws InvalidImageException {
            if (end - start < 6) {
                throw corrupt("short frame header");
            }
            sofMarker = marker;
            precision = data[start] & 0xff;
            height = u16(start + 1);
            width = u16(start + 3);
            int components = data[start + 5] & 0xff;
            if (end - start < 6 + 3 * components) {
                throw corrupt("frame header too short for " + components + " components");
            }
            if (marker != SOF0 && marker != SOF1 && marker != SOF2) {
                throw new InvalidImageException(RejectReason.UNSUPPORTED_IMAGE_FORMAT,
                        "JPEG coding process SOF" + (marker - SOF0)
                                + " (lossless, hierarchical or arithmetic-coded) is not supported");
            }
            if (precision != 8) {
                throw new InvalidImageException(RejectReason.UNSUPPORTED_IMAGE_FORMAT,
                        precision + "-bit JPEG samples are not supported");
            }
            if (components != 1 && components != 3 && components != 4) {
                throw new InvalidImageException(RejectReason.UNSUPPORTED_IMAGE_FORMAT,
                        "JPEG with " + components + " components is not supported");
            }
            if (width == 0 || height == 0) {
                throw corrupt("frame size " + width + "x" + height);
            }
            componentIds = new int[components];
            for (int i = 0; i < components; i++) {
                componentIds[i] = data[start + 6 + 3 * i] & 0xff;
            }
        }

        private JpegColorSpace colorSpace() {
            return switch (componentIds.length) {
                case 1 -> JpegColorSpace.GRAY;
                case 3 -> {
                    if (jfif) {
                        yield JpegColorSpace.YCBCR;
                    }
                    if (adobeTransform >= 0) {
                        yield adobeTransform == 0 ? JpegColorSpace.RGB : JpegColorSpace.YCBCR;
                    }
                    boolean rgbIds = componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B';
                    yield rgbIds ? JpegColorSpace.RGB : JpegColorSpace.YCBCR;
                }
                default -> adobeTransform > 0 ? JpegColorSpace.YCCK : JpegColorSpace.CMYK;
            };
        }

        private static boolean isFrameHeader(int marker) {
            return marker >= SOF0 && marker <= 0xCF && marker != DHT && marker != JPG && marker != DAC;
        }

        private boolean matches(int start, int end, String identifier) {
            if (end - start < identifier.length()) {
                return false;
            }
            for (int i = 0; i < identifier.length(); i++) {
                if (data[start + i] != (byte) identifier.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private int u16(int i) {
            return (data[i] & 0xff) << 8 | (data[i + 1] & 0xff);
        }

        private static InvalidImageException truncated() {
            return new InvalidImageException(RejectReason.CORRUPT_IMAGE, "JPEG is truncated (no end-of-image marker)");
        }

        private static InvalidImageException corrupt(String what) {
            return new InvalidImageException(RejectReason.CORRUPT_IMAGE, "corrupt JPEG: " + what);
        }
    }
}
