package io.clipstream.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Channel-wise differences between two images of one size, in 0..255 units. */
record PixelDiff(int max, double mean, double withinOne, long values) {

    static PixelDiff between(RgbImage actual, RgbImage expected) {
        assertEquals(expected.width() + "x" + expected.height(), actual.width() + "x" + actual.height(), "size");
        byte[] a = actual.pixels();
        byte[] e = expected.pixels();
        int max = 0;
        long sum = 0;
        long close = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xff) - (e[i] & 0xff));
            max = Math.max(max, d);
            sum += d;
            if (d <= 1) {
                close++;
            }
        }
        return new PixelDiff(max, (double) sum / a.length, (double) close / a.length, a.length);
    }

    String row(String name) {
        return String.format("| %-20s | %3d | %.4f | %7.3f %% |", name, max, mean, 100 * withinOne);
    }

    static String header(String title) {
        return title + "\n| case                 | max | mean   | within 1  |\n|----------------------|-----|--------|-----------|";
    }
}
