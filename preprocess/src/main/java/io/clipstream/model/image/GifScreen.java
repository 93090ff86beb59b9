package io.clipstream.model.image;

import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;

/**
 * A GIF's logical screen and where its first frame sits on it, read from the header and the first image
 * descriptor without decoding. Pillow's image is the screen, grown to hold the frame where the frame reaches past
 * it ({@link #canvasWidth()}, {@link #canvasHeight()}); the JDK's reader returns the bare frame.
 *
 * @param frameWidth 0 when no image descriptor was found (the reader then reports the missing frame)
 */
record GifScreen(int width, int height, int frameLeft, int frameTop, int frameWidth, int frameHeight) {

    private static final int HEADER = 13;
    private static final int EXTENSION = 0x21, IMAGE_DESCRIPTOR = 0x2C;

    /** Only the 13-byte header: the screen size. */
    static GifScreen header(byte[] gif) {
        return gif.length < HEADER ? new GifScreen(0, 0, 0, 0, 0, 0)
                : new GifScreen(u16(gif, 6), u16(gif, 8), 0, 0, 0, 0);
    }

    /** The header and the first image descriptor, skipping the global colour table and extensions before it. */
    static GifScreen read(byte[] gif) {
        GifScreen screen = header(gif);
        if (gif.length < HEADER) {
            return screen;
        }
        int pos = HEADER + ((gif[10] & 0x80) != 0 ? 3 * (2 << (gif[10] & 7)) : 0);
        while (pos < gif.length && (gif[pos] & 0xff) == EXTENSION) {
            pos += 2; // introducer and label, then data sub-blocks up to an empty one
            while (pos < gif.length && gif[pos] != 0) {
                pos += (gif[pos] & 0xff) + 1;
            }
            pos++;
        }
        if (pos + 9 > gif.length || (gif[pos] & 0xff) != IMAGE_DESCRIPTOR) {
            return screen;
        }
        return new GifScreen(screen.width, screen.height, u16(gif, pos + 1), u16(gif, pos + 3), u16(gif, pos + 5),
                u16(gif, pos + 7));
    }

    int canvasWidth() {
        return Math.max(width, frameLeft + frameWidth);
    }

    int canvasHeight() {
        return Math.max(height, frameTop + frameHeight);
    }

    /** Whether the frame alone is the whole image (no drawing on a canvas needed). */
    boolean frameIsCanvas() {
        return frameLeft == 0 && frameTop == 0 && frameWidth == canvasWidth() && frameHeight == canvasHeight();
    }

    /** The same screen with the frame size the reader found (authoritative over the descriptor bytes). */
    GifScreen withFrameSize(int frameWidth, int frameHeight) {
        return new GifScreen(width, height, frameLeft, frameTop, frameWidth, frameHeight);
    }

    /**
     * The first frame drawn on the canvas as Pillow 9.4 does for frame 0: the canvas is filled with palette index 0,
     * or with the frame's transparency index when it has one (the header's background index is not used), then the
     * frame's pixels are copied at its offset.
     */
    RgbImage draw(RgbImage frame, ColorModel frameColors) {
        if (frameIsCanvas()) {
            return frame;
        }
        int fill = 0;
        if (frameColors instanceof IndexColorModel palette) {
            int index = Math.max(palette.getTransparentPixel(), 0);
            // Past the map, Pillow's default palette: a grey ramp (as PillowRgb).
            fill = index < palette.getMapSize() ? palette.getRGB(index) & 0xFFFFFF : index * 0x010101;
        }
        int w = canvasWidth();
        int h = canvasHeight();
        byte[] out = new byte[w * h * 3];
        for (int i = 0; i < out.length; i += 3) {
            out[i] = (byte) (fill >> 16);
            out[i + 1] = (byte) (fill >> 8);
            out[i + 2] = (byte) fill;
        }
        int row = frame.width() * 3;
        for (int y = 0; y < frame.height(); y++) {
            System.arraycopy(frame.pixels(), y * row, out, ((frameTop + y) * w + frameLeft) * 3, row);
        }
        return new RgbImage(w, h, out);
    }

    private static int u16(byte[] data, int at) {
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8;
    }
}
