package io.clipstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.train.TrainingPair;
import io.clipstream.trainer.data.Batch;
import io.clipstream.trainer.data.BatchAssembler;
import io.clipstream.trainer.data.BatchSettings;
import io.clipstream.trainer.data.CaptionMix;
import io.clipstream.trainer.data.ImageAugmentation;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.data.HeldOutSplit;
import io.clipstream.trainer.data.StreamPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The captions the feeder puts into batches: fresh, replayed and rehearsed pairs mixed, held-out pairs as sent. */
class BatchFeederCaptionsTest {

    private static final BatchSettings SETTINGS = new BatchSettings(8, 0.25, 16, 1000, 50, true);

    @Test
    void everyTrainedPairIsMixedAndHeldOutPairsKeepTheirCaption() {
        CaptionMix mix = new CaptionMix(CaptionMix.Settings.defaults().withShares(0, 0, 1), 1);
        BatchAssembler assembler = new BatchAssembler(SETTINGS, new HeldOutSplit(0.2), DataState.empty("pairs"),
                new SplittableRandom(7));
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            assembler.accept(0, i, Optional.of(TestPairs.pair("p" + i)));
            assembler.next(false).ifPresent(batches::add);
        }
        for (Optional<Batch> b = assembler.next(true); b.isPresent() && batches.size() < 60; b = assembler.next(true)) {
            batches.add(b.get()); // drained, then rehearsal batches of replayed pairs only
        }
        assertTrue(batches.stream().anyMatch(b -> b.fresh().isEmpty()), "rehearsal batches among them");
        assertTrue(batches.stream().anyMatch(b -> !b.fresh().isEmpty() && !b.replayed().isEmpty()));

        Map<String, Set<String>> captionsOfPair = new HashMap<>();
        for (Batch batch : batches) {
            List<TrainingPair> rows = BatchFeeder.trainingPairs(batch, mix, ImageAugmentation.off(), 0);
            assertEquals(batch.size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                StreamPair pair = batch.pairs().get(i);
                String caption = rows.get(i).caption();
                assertTrue(CaptionMix.Settings.DEFAULT_TEMPLATES.stream()
                        .anyMatch(t -> caption.equals(t.replace("{}", pair.attributes().get("label")))), caption);
                assertEquals(pair.image(), rows.get(i).image());
                captionsOfPair.computeIfAbsent(pair.pairId(), id -> new HashSet<>()).add(caption);
            }
        }
        assertTrue(captionsOfPair.values().stream().anyMatch(c -> c.size() > 1),
                "a pair trained again is phrased otherwise");

        List<StreamPair> heldOut = assembler.state().evaluationPool();
        assertFalse(heldOut.isEmpty());
        for (StreamPair pair : heldOut) {
            assertEquals("caption of " + pair.pairId(), pair.caption(), "evaluation sees the caption as sent");
            assertFalse(captionsOfPair.containsKey(pair.pairId()));
        }
    }

    @Test
    void theStepIsTheRunsFirstStepPlusTheBatchSequence() {
        CaptionMix mix = new CaptionMix(CaptionMix.Settings.defaults(), 3);
        List<StreamPair> pairs = TestPairs.pairs("q", 6);
        Batch batch = new Batch(4, pairs.subList(0, 4), pairs.subList(4, 6), DataState.empty("pairs"));
        List<TrainingPair> rows = BatchFeeder.trainingPairs(batch, mix, ImageAugmentation.off(), 1000);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(mix.caption(pairs.get(i), 1004), rows.get(i).caption());
        }
        assertEquals(rows, BatchFeeder.trainingPairs(batch, mix, ImageAugmentation.off(), 1000), "repeats");
    }

    @Test
    void offTheCaptionsAreAsSent() {
        List<StreamPair> pairs = TestPairs.pairs("r", 4);
        Batch batch = new Batch(0, pairs, List.of(), DataState.empty("pairs"));
        assertEquals(pairs.stream().map(StreamPair::caption).toList(),
                BatchFeeder.trainingPairs(batch, CaptionMix.off(), ImageAugmentation.off(), 0).stream().map(TrainingPair::caption).toList());
    }

    @Test
    void imagesAreAugmentedPerPairAndStepWhenOn() {
        ImageAugmentation augmentation = new ImageAugmentation(ImageAugmentation.Settings.defaults(), 3);
        List<StreamPair> pairs = TestPairs.pairs("s", 6);
        Batch batch = new Batch(2, pairs.subList(0, 4), pairs.subList(4, 6), DataState.empty("pairs"));
        List<TrainingPair> rows = BatchFeeder.trainingPairs(batch, CaptionMix.off(), augmentation, 10);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(augmentation.image(pairs.get(i), 12), rows.get(i).image(), "pair " + i + " at step 12");
            assertEquals(pairs.get(i).caption(), rows.get(i).caption());
        }
        assertEquals(pairs.stream().map(StreamPair::image).toList(),
                BatchFeeder.trainingPairs(batch, CaptionMix.off(), ImageAugmentation.off(), 10).stream()
                        .map(TrainingPair::image).toList(), "off: the images as sent");
    }
}
