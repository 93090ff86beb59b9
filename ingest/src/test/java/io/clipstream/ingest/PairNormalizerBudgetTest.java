package io.clipstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.ImageTextPair;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Normalising decodes under the model's shared decode budget: stream threads wait for it, never exceed it. */
class PairNormalizerBudgetTest {

    @Test
    void concurrentNormalisationsHoldNoMoreDeclaredDecodeCostThanTheBudget() throws Exception {
        ClipImageTransform transform = ClipImageTransform.openAi(224);
        byte[] image = TestImages.png(1600, 1200, 1);
        long cost = transform.decodeCost(image);
        DecodeBudget budget = new DecodeBudget(cost + cost / 2); // one at a time
        PairNormalizer normalizer = new PairNormalizer(transform, new CaptionCleaner(300, 10_000), Clock.systemUTC(),
                budget);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<PairNormalizer.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ImageTextPair pair = ImageTextPair.newBuilder().setPairId("p" + i).setImage(ByteBuffer.wrap(image))
                        .setCaption("a red circle").setEventTime(Instant.EPOCH).build();
                outcomes.add(threads.submit(() -> normalizer.normalize(pair)));
            }
            for (Future<PairNormalizer.Outcome> outcome : outcomes) {
                assertTrue(outcome.get() instanceof PairNormalizer.Normalized, outcome.get().toString());
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(budget.peak() >= cost && budget.peak() <= budget.capacity(),
                "peak " + budget.peak() + " of " + budget.capacity() + ", one image " + cost);
        assertEquals(0, budget.inUse());
    }
}
