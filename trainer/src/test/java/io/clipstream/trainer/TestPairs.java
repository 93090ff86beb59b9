package io.clipstream.trainer;

import io.clipstream.model.image.RgbImage;
import io.clipstream.trainer.data.StreamPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small synthetic pairs for the data-side tests. */
public final class TestPairs {

    private TestPairs() {
    }

    public static StreamPair pair(String id) {
        return pair(id, 8);
    }

    public static StreamPair pair(String id, int size) {
        byte[] pixels = new byte[size * size * 3];
        new Random(id.hashCode()).nextBytes(pixels);
        return new StreamPair(id, "caption of " + id, 1_700_000_000_000L + Math.abs(id.hashCode() % 1000),
                new RgbImage(size, size, pixels), Map.of("label", "name of " + id));
    }

    public static List<StreamPair> pairs(String prefix, int count) {
        List<StreamPair> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pairs.add(pair(prefix + i));
        }
        return pairs;
    }
}
