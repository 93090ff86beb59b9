package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.zeroshot.ZeroShotHead;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import org.junit.jupiter.api.Test;

import java.util.List;

class TrainEvaluationTest {

    @Test
    void recallCountsWhereTheRightPartnerRanks() {
        try (NDManager manager = Engines.newManager()) {
            // Texts are unit axes. Image 0 is closest to text 1 and then to its own; image 1 to its
            // own; image 2 closest to text 3, then 1, then its own; image 3 to its own.
            NDArray texts = manager.eye(4);
            NDArray images = manager.create(new float[][] {
                {0.5f, 0.8f, 0, 0}, {0, 1, 0, 0}, {0, 0.5f, 0.3f, 0.8f}, {0.1f, 0, 0, 1}});
            RetrievalRecall recall = Evaluation.retrievalRecall(images, texts, 1, 2, 3);
            assertEquals(4, recall.pool());
            assertEquals(0.5, recall.imageToText(1));
            assertEquals(0.75, recall.imageToText(2));
            assertEquals(1.0, recall.imageToText(3));
            // Text j ranks the images by their normalised j-th coordinate: its own image comes
            // first for every j (0.53 vs 0.10; 1.0 vs 0.85; only image 2; 0.995 vs 0.81).
            assertEquals(1.0, recall.textToImage(1));
            assertEquals(0.25, recall.chance(1));
            // Per query, for paired tests on the same pool: the rank of the right partner, and hits at k.
            assertEquals(List.of(1, 0, 2, 0), recall.imageToTextRanks());
            assertEquals(List.of(0, 0, 0, 0), recall.textToImageRanks());
            assertArrayEquals(new boolean[] {false, true, false, true}, recall.imageToTextHits(1));
            assertArrayEquals(new boolean[] {true, true, false, true}, recall.imageToTextHits(2));
            assertArrayEquals(new boolean[] {true, true, true, true}, recall.textToImageHits(1));
        }
    }

    @Test
    void encodesPairsInChunksAndFindsAPerfectPool() {
        ClipConfig tiny = ClipConfig.preset("tiny").withVocabSize(600);
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(tiny).initialize(manager);
            NDArray pixels = RandomPairs.pixels(manager, tiny, 10, 1);
            NDArray ids = RandomPairs.tokenIds(manager, tiny, 10, 2);
            RetrievalRecall chunked = Evaluation.retrievalRecall(model, pixels, ids, 3, 1, 5);
            RetrievalRecall whole = Evaluation.retrievalRecall(model.encodeImage(pixels), model.encodeText(ids), 1, 5);
            assertEquals(whole, chunked);
            int arrays = TrainOverfitTest.managed(manager);
            Evaluation.retrievalRecall(model, pixels, ids, 4, 1);
            assertEquals(arrays, TrainOverfitTest.managed(manager), "evaluation leaves no array behind");
        }
    }

    @Test
    void zeroShotAccuracyCountsTopOneAndTopFive() {
        ClipConfig tiny = ClipConfig.preset("tiny").withVocabSize(600);
        List<String> labels = List.of("a", "b", "c", "d", "e", "f");
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(tiny).initialize(manager);
            // Any tokenizer will do: the head only needs distinct label embeddings.
            try (ZeroShotHead head = ZeroShotHead.build(model, texts -> texts.stream()
                    .map(t -> RandomPairs.tokenIds(manager, tiny, 1, t.hashCode()).toLongArray())
                    .toArray(long[][]::new), labels, List.of("{}"), manager)) {
                NDArray embeddings = head.labelEmbeddings();
                // Images 0..5 look exactly like their label; image 6 like label 0 but is labelled 1.
                NDArray images = embeddings.concat(embeddings.get(new NDIndex("0:1")), 0);
                int[] truth = {0, 1, 2, 3, 4, 5, 1};
                ZeroShotAccuracy accuracy = Evaluation.zeroShotAccuracy(head, images, truth);
                assertEquals(7, accuracy.images());
                assertEquals(6, accuracy.labels());
                assertEquals(6 / 7.0, accuracy.top1(), 1e-12);
                double secondOrBetter = rankOfLabel1ForLabel0(embeddings) < 5 ? 1 : 0;
                assertEquals((6 + secondOrBetter) / 7.0, accuracy.top5(), 1e-12);
                assertEquals(List.of(0, 0, 0, 0, 0, 0, rankOfLabel1ForLabel0(embeddings)), accuracy.ranks());
                assertArrayEquals(new boolean[] {true, true, true, true, true, true, false}, accuracy.hits(1));
            }
        }
    }

    /** How many labels score above label 1 for an image that looks like label 0. */
    private static int rankOfLabel1ForLabel0(NDArray embeddings) {
        float[] similarity = embeddings.matMul(embeddings.get(0)).toFloatArray();
        int better = 0;
        for (float s : similarity) {
            better += s > similarity[1] ? 1 : 0;
        }
        return better;
    }
}
