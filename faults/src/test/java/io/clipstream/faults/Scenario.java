package io.clipstream.faults;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** What every scenario shares: its size (system properties faults.images and faults.rate) and its inputs. */
final class Scenario {

    /** Records per scenario (-Dfaults.images). */
    static final int IMAGES = Integer.getInteger("faults.images", 600);
    /** Records per second (-Dfaults.rate). */
    static final double RATE = Double.parseDouble(System.getProperty("faults.rate", "40"));
    /** How long a killed service stays dead before its restart (the hand measurement used 5 s). */
    static final long DEAD_MILLIS = Long.getLong("faults.dead-ms", 5000);

    private Scenario() {
    }

    /** A PNG no other index has (ingest drops exact duplicates by content hash). */
    static byte[] uniqueImage(int index) {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(index * 7919L + 17);
        for (int y = 0; y < 64; y += 4) {
            for (int x = 0; x < 64; x += 4) {
                int rgb = random.nextInt(1 << 24);
                for (int dy = 0; dy < 4; dy++) {
                    for (int dx = 0; dx < 4; dx++) {
                        image.setRGB(x + dx, y + dy, rgb);
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(prefix + "-" + i);
        }
        return ids;
    }
}
