package io.clipstream.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The decode bulkhead: declared cost, taken before decoding, never more at once than the budget. */
class DecodeBudgetTest {

    private static final ClipImageTransform TRANSFORM = ClipImageTransform.openAi(224);

    /** A valid 8-bit grey PNG of width × height black pixels: a few KB declaring many megapixels. */
    static byte[] blackPng(int width, int height) {
        return TestImages.png(width, height, 8, 0, new byte[(width + 1) * height]);
    }

    @Test
    void concurrentDecodesNeverHoldMoreThanTheBudget() throws Exception {
        byte[] image = blackPng(1200, 1000);
        long cost = TRANSFORM.decodeCost(image);
        DecodeBudget budget = new DecodeBudget(2 * cost + 1024);
        AtomicInteger decoding = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<RgbImage>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(threads.submit(() -> {
                    try (DecodeBudget.Permit permit = budget.acquire(TRANSFORM.decodeCost(image))) {
                        mostAtOnce.accumulateAndGet(decoding.incrementAndGet(), Math::max);
                        RgbImage out = TRANSFORM.preprocess(image);
                        decoding.decrementAndGet();
                        return out;
                    }
                }));
            }
            for (Future<RgbImage> result : results) {
                assertEquals(224, result.get().width());
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(mostAtOnce.get() <= 2, "at most two images of this cost fit: " + mostAtOnce.get());
        assertTrue(budget.peak() <= budget.capacity(), budget.peak() + " > " + budget.capacity());
        assertTrue(budget.peak() >= cost, "the budget was used: " + budget.peak());
        assertEquals(0, budget.inUse(), "every permit given back");
    }

    @Test
    void aWaitThatRunsOutIsRefusedAndFreedBudgetIsGrantedAgain() throws Exception {
        DecodeBudget budget = new DecodeBudget(10 << 20);
        DecodeBudget.Permit held = budget.acquire(8 << 20);
        assertTrue(budget.tryAcquire(4 << 20, Duration.ofMillis(20)).isEmpty(), "only 2 MiB left");
        held.close();
        held.close(); // given back once only
        assertEquals(0, budget.inUse());
        try (DecodeBudget.Permit again = budget.tryAcquire(4 << 20, Duration.ZERO).orElseThrow()) {
            assertEquals(4 << 20, again.bytes());
            assertEquals(4 << 20, budget.inUse());
        }
        assertEquals(8 << 20, budget.peak());
    }

    @Test
    void moreThanTheWholeBudgetIsRefusedAtOnceRatherThanWaitedForForever() throws Exception {
        DecodeBudget budget = new DecodeBudget(1 << 20);
        assertThrows(IllegalArgumentException.class, () -> budget.acquire((1 << 20) + 1));
        assertThrows(IllegalArgumentException.class, () -> budget.tryAcquire(100L << 20, Duration.ofHours(1)));
        try (DecodeBudget.Permit whole = budget.acquire(1 << 20)) {
            assertEquals(1 << 20, whole.bytes());
        }
    }

    /**
     * 16 × 2,400,000 px is under the pixel limit and 40 KB of PNG, but the resize to 224 px on the short side makes
     * 224 × 33.6M px: decoded without a budget, it ends in OutOfMemoryError (seen before the budget existed).
     */
    @Test
    void anImageDeclaringMoreThanTheWholeBudgetIsRejectedBeforeDecoding() throws Exception {
        byte[] tall = TestImages.png(16, 2_400_000, 8, 0, new byte[17 * 2_400_000]);
        assertTrue(TRANSFORM.decodeCost(tall) > 20L << 30, "declares " + TRANSFORM.decodeCost(tall));
        DecodeBudget budget = new DecodeBudget(1L << 30);
        InvalidImageException tooLarge = assertThrows(InvalidImageException.class,
                () -> TRANSFORM.preprocess(tall, budget));
        assertEquals(io.clipstream.schemas.RejectReason.IMAGE_TOO_MANY_PIXELS, tooLarge.reason());
        assertTrue(tooLarge.getMessage().contains("decode budget"), tooLarge.getMessage());
        assertThrows(InvalidImageException.class, () -> TRANSFORM.preprocess(tall, budget, Duration.ZERO));
        assertEquals(0, budget.peak(), "nothing was taken");
    }

    @Test
    void preprocessUnderABudgetThatCannotBeHadInTimeSaysSo() throws Exception {
        byte[] image = blackPng(1200, 1000);
        DecodeBudget budget = new DecodeBudget(TRANSFORM.decodeCost(image));
        try (DecodeBudget.Permit other = budget.acquire(1)) {
            DecodeBudgetExhaustedException busy = assertThrows(DecodeBudgetExhaustedException.class,
                    () -> TRANSFORM.preprocess(image, budget, Duration.ofMillis(10)));
            assertTrue(busy.getMessage().contains("retry"), busy.getMessage());
        }
        assertEquals(TRANSFORM.preprocess(image), TRANSFORM.preprocess(image, budget, Duration.ZERO));
        assertEquals(0, budget.inUse());
    }

    @Test
    void limitsAreCheckedBeforeAnyBudgetIsTaken() {
        DecodeBudget budget = new DecodeBudget(1 << 20);
        InvalidImageException bomb = assertThrows(InvalidImageException.class,
                () -> TRANSFORM.preprocess(TestImages.pngClaiming(50_000, 50_000), budget));
        assertEquals(io.clipstream.schemas.RejectReason.IMAGE_TOO_MANY_PIXELS, bomb.reason());
        assertEquals(0, budget.peak());
    }

    /**
     * The declared cost bounds what decoding really allocates (this thread's allocated bytes, garbage included,
     * an upper bound of what was live at once), for each format and the worst-case layouts of PNG.
     */
    @Test
    void theDeclaredCostCoversWhatDecodingAllocates() throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, byte[]> images = Map.of(
                "grey png", blackPng(2000, 1500),
                "rgb png", TestImages.png(1500, 1000, 1),
                "16-bit rgba png", TestImages.png(1200, 900, 16, 6, new byte[(1200 * 8 + 1) * 900]),
                "jpeg", TestImages.jpeg(1600, 1200, 2),
                "cmyk jpeg", TestImages.cmykJpeg(1200, 800),
                "tall png", TestImages.png(16, 3000, 8, 2, new byte[(16 * 3 + 1) * 3000]),
                "gif", TestImages.encode(TestImages.picture(1200, 900, 3), "gif"),
                "bmp", TestImages.encode(TestImages.picture(1200, 900, 4), "bmp"),
                "webp", TestImages.webpCheckerboard(1200, 900, 10, 20, 200, 30));
        for (int warm = 0; warm < 2; warm++) {
            for (var image : images.entrySet()) {
                long cost = TRANSFORM.decodeCost(image.getValue());
                long before = threads.getCurrentThreadAllocatedBytes();
                TRANSFORM.preprocess(image.getValue());
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (warm == 1) {
                    System.out.printf("%s: declared %d, allocated %d (%.2f)%n", image.getKey(), cost, allocated,
                            (double) allocated / cost);
                    assertTrue(allocated <= cost, image.getKey() + ": allocated " + allocated + " > declared " + cost);
                }
            }
        }
    }
}
