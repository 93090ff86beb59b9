package io.clipstream.classifier.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.clipstream.classifier.TinyCheckpoints;
import io.clipstream.classifier.runtime.ClassifierMetrics;
import io.clipstream.classifier.scoring.BatchClassifier;
import io.clipstream.classifier.scoring.LabelEmbeddingCache;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.TinyClipTraining;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.ScoredLabel;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier topology under {@link TopologyTestDriver}, with real tiny checkpoints in an artifact store: two
 * random versions whose text encoders differ, a corrupt one, and one trained to tell cats from dogs.
 */
class ClassifierTopologyTest {

    private static final int MAX_BATCH = 8;
    private static final Duration FLUSH = Duration.ofMillis(200);
    private static final List<String> ANIMALS = List.of("cat", "dog", "horse", "sports car", "bird", "fish");

    @TempDir
    static Path storeDir;
    static ArtifactStore store;
    static ModelVersions versions;
    static ServedModel v1;
    static ServedModel v2;
    static NDManager manager;

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private ClassifierMetrics metrics;
    private LabelEmbeddingCache cache;
    private TestInputTopic<String, byte[]> embeddings;
    private TestInputTopic<String, LabelSet> labelSets;
    private TestOutputTopic<String, Classification> classifications;
    private TestOutputTopic<String, Rejected> rejected;
    private final AvroSerde<ImageEmbedding> embeddingSerde = AvroSerde.of(ImageEmbedding.class);
    private final Instant eventTime = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void checkpoints() throws Exception {
        store = ArtifactStore.open(storeDir.toString());
        TinyCheckpoints.publishRandom(store, "1", 1);
        TinyCheckpoints.publishRandom(store, "2", 2);
        TinyCheckpoints.publishRandom(store, "corrupt", 3);
        Files.write(store.locate("corrupt").orElseThrow().resolve("weights.safetensors"), new byte[] {0},
                StandardOpenOption.APPEND);
        TinyCheckpoints.publishCopy(store, TinyClipTraining.checkpoint());
        versions = new ModelVersions(TinyCheckpoints.resolver(store)::loadVersion, 4, Duration.ofMinutes(5),
                Clock.systemUTC());
        // The test's own copies, to compute what the classifier must produce.
        v1 = TinyCheckpoints.resolver(store).loadVersion("1");
        v2 = TinyCheckpoints.resolver(store).loadVersion("2");
        manager = Engines.newManager();
    }

    @AfterAll
    static void close() {
        versions.close();
        v1.close();
        v2.close();
        manager.close();
    }

    @BeforeEach
    void start() {
        cache = new LabelEmbeddingCache(16);
        metrics = new ClassifierMetrics(new SimpleMeterRegistry(), cache, versions);
        startDriver(new BatchClassifier(versions, cache, Clock.systemUTC()));
    }

    private void startDriver(BatchClassifier classifier) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "classifier-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(ClassifierTopology.build(classifier, metrics, MAX_BATCH, FLUSH), props);
        embeddings = driver.createInputTopic(Topics.EMBEDDINGS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        labelSets = driver.createInputTopic(Topics.LABEL_SETS, Serdes.String().serializer(), AvroSerde.of(LabelSet.class));
        classifications = driver.createOutputTopic(Topics.CLASSIFICATIONS, Serdes.String().deserializer(),
                AvroSerde.of(Classification.class));
        rejected = driver.createOutputTopic(Topics.EMBEDDINGS_REJECTED, Serdes.String().deserializer(),
                AvroSerde.of(Rejected.class));
    }

    @AfterEach
    void stop() {
        driver.close();
        cache.close();
    }

    // --- label sets, probabilities, top-k, threshold

    @Test
    void probabilitiesAreASoftmaxOverAllLabelsAndTopKComesBestFirst() {
        labelSets.pipeInput("animals", set("animals", 1, ANIMALS, ANIMALS.size(), null));
        labelSets.pipeInput("animals-top3", set("animals-top3", 1, ANIMALS, 3, null));
        float[] image = randomUnitVector(64, 11);
        embeddings.pipeInput("img-1", embedding("img-1", "1", image, Map.of()));
        flush();

        Map<String, Classification> bySet = bySet(classifications.readValuesToList());
        Classification all = bySet.get("animals");
        float[] expected = expectedProbabilities(v1, image, ANIMALS);
        assertEquals(ANIMALS.size(), all.getLabels().size());
        double sum = 0;
        for (int i = 0; i < all.getLabels().size(); i++) {
            ScoredLabel label = all.getLabels().get(i);
            sum += label.getProbability();
            assertEquals(expected[ANIMALS.indexOf(label.getLabel())], label.getProbability(), 1e-5, label.getLabel());
            if (i > 0) {
                assertTrue(label.getProbability() <= all.getLabels().get(i - 1).getProbability(), "best first");
            }
        }
        assertEquals(1.0, sum, 1e-5, "probabilities over all labels sum to 1");

        Classification top3 = bySet.get("animals-top3");
        assertEquals(all.getLabels().subList(0, 3), top3.getLabels(), "top 3 = the 3 best of the full ranking");
        assertEquals("img-1", all.getImageId());
        assertEquals("1", all.getModelVersion());
        assertEquals(1L, all.getLabelSetRevision());
        assertEquals(eventTime, all.getEventTime());
        assertTrue(!all.getClassifiedTime().isBefore(all.getEmbeddedTime()));
    }

    @Test
    void theThresholdLeavesOutImprobableLabelsButStillSaysTheImageWasClassified() {
        float[] image = randomUnitVector(64, 12);
        float[] p = expectedProbabilities(v1, image, ANIMALS);
        float[] sorted = p.clone();
        Arrays.sort(sorted);
        float between = (sorted[sorted.length - 1] + sorted[sorted.length - 2]) / 2; // only the best passes
        labelSets.pipeInput("strict", set("strict", 1, ANIMALS, 5, between));
        labelSets.pipeInput("impossible", set("impossible", 1, ANIMALS, 5, 1f));
        embeddings.pipeInput("img-2", embedding("img-2", "1", image, Map.of()));
        flush();

        Map<String, Classification> bySet = bySet(classifications.readValuesToList());
        assertEquals(1, bySet.get("strict").getLabels().size());
        assertEquals(sorted[sorted.length - 1], bySet.get("strict").getLabels().get(0).getProbability(), 1e-5);
        assertEquals(List.of(), bySet.get("impossible").getLabels(), "no label reaches probability 1");
    }

    @Test
    void attributeFiltersAndDisabledSetsDecideWhichSetsApply() {
        labelSets.pipeInput("everyone", set("everyone", 1, ANIMALS, 2, null));
        LabelSet camera7 = set("camera-7", 1, ANIMALS, 2, null);
        camera7.setAttributeFilter(Map.of("camera", "7", "site", "north"));
        labelSets.pipeInput("camera-7", camera7);
        LabelSet off = set("off", 1, ANIMALS, 2, null);
        off.setEnabled(false);
        labelSets.pipeInput("off", off);

        embeddings.pipeInput("a", embedding("a", "1", randomUnitVector(64, 1), Map.of("camera", "7", "site", "north", "x", "y")));
        embeddings.pipeInput("b", embedding("b", "1", randomUnitVector(64, 2), Map.of("camera", "8", "site", "north")));
        embeddings.pipeInput("c", embedding("c", "1", randomUnitVector(64, 3), Map.of("camera", "7")));
        flush();

        Map<String, List<String>> setsByImage = new java.util.TreeMap<>();
        for (Classification c : classifications.readValuesToList()) {
            setsByImage.computeIfAbsent(c.getImageId(), k -> new ArrayList<>()).add(c.getLabelSetId());
        }
        assertEquals(Map.of("a", List.of("camera-7", "everyone"), "b", List.of("everyone"), "c", List.of("everyone")),
                setsByImage);
    }

    @Test
    void aTombstoneDeletesTheSetAndAnImageNoSetWantsIsCountedUnmatched() {
        labelSets.pipeInput("animals", set("animals", 1, ANIMALS, 1, null));
        embeddings.pipeInput("before", embedding("before", "1", randomUnitVector(64, 4), Map.of()));
        flush();
        assertEquals(1, classifications.readValuesToList().size());

        labelSets.pipeInput("animals", (LabelSet) null);
        embeddings.pipeInput("after", embedding("after", "1", randomUnitVector(64, 5), Map.of()));
        flush();
        assertTrue(classifications.isEmpty());
        assertTrue(rejected.isEmpty(), "nothing to classify is not an error");
        assertEquals(1.0, metrics.unmatchedCount());
        assertEquals(metrics.inCount(), metrics.classifiedCount() + metrics.unmatchedCount() + metrics.rejectedCount());
        assertEquals(-1.0, metrics.topLabelCount("animals", "cat"), "a deleted set's label series are removed");
    }

    // --- model versions

    @Test
    void everyEmbeddingIsScoredWithTheTextEncoderOfItsOwnModelVersionInOneMixedBatch() {
        labelSets.pipeInput("animals", set("animals", 1, ANIMALS, ANIMALS.size(), null));
        // Image vectors equal to a label's text embedding under ONE version: similarity 1 there, not under the other.
        float[] catUnderV1 = textEmbedding(v1, "a photo of a cat.");
        float[] dogUnderV2 = textEmbedding(v2, "a photo of a dog.");
        embeddings.pipeInput("old", embedding("old", "1", catUnderV1, Map.of()));
        embeddings.pipeInput("new", embedding("new", "2", dogUnderV2, Map.of()));
        flush();

        Map<String, Classification> byImage = new java.util.HashMap<>();
        classifications.readValuesToList().forEach(c -> byImage.put(c.getImageId(), c));
        Classification old = byImage.get("old");
        Classification rolled = byImage.get("new");
        assertEquals("1", old.getModelVersion());
        assertEquals("2", rolled.getModelVersion());
        assertEquals(1.0, similarity(old, "cat"), 1e-4, "v1's cat prompt IS the v1 image vector");
        assertEquals(1.0, similarity(rolled, "dog"), 1e-4, "v2's dog prompt IS the v2 image vector");
        float[] expectedOld = expectedProbabilities(v1, catUnderV1, ANIMALS);
        float[] expectedNew = expectedProbabilities(v2, dogUnderV2, ANIMALS);
        for (ScoredLabel label : old.getLabels()) {
            assertEquals(expectedOld[ANIMALS.indexOf(label.getLabel())], label.getProbability(), 1e-5);
        }
        for (ScoredLabel label : rolled.getLabels()) {
            assertEquals(expectedNew[ANIMALS.indexOf(label.getLabel())], label.getProbability(), 1e-5);
        }
        assertTrue(Math.abs(similarity(old, "cat") - cosine(catUnderV1, textEmbedding(v2, "a photo of a cat."))) > 1e-3,
                "the two versions' text encoders really differ");
        assertEquals(2L, cache.misses(), "one label-embedding build per (set, revision, version)");
    }

    @Test
    void embeddingsOfVersionsThatCannotBeLoadedOrDoNotFitAreRejectedWithTheReason() {
        labelSets.pipeInput("animals", set("animals", 1, ANIMALS, 3, null));
        byte[] unknown = embedding("u", "99", randomUnitVector(64, 6), Map.of("k", "v"));
        embeddings.pipeInput("u", unknown);
        embeddings.pipeInput("h", embedding("h", "corrupt", randomUnitVector(64, 7), Map.of()));
        embeddings.pipeInput("d", embedding("d", "1", randomUnitVector(32, 8), Map.of()));
        embeddings.pipeInput("bad", embedding("bad", "../etc", randomUnitVector(64, 9), Map.of()));
        embeddings.pipeInput("ok", embedding("ok", "1", randomUnitVector(64, 10), Map.of()));
        flush();

        Map<String, Rejected> byId = new java.util.HashMap<>();
        rejected.readValuesToList().forEach(r -> byId.put(r.getId(), r));
        assertEquals(java.util.Set.of("u", "h", "d", "bad"), byId.keySet());
        byId.values().forEach(r -> assertEquals(RejectReason.MODEL_VERSION_UNAVAILABLE, r.getReason(), r.getMessage()));
        assertTrue(byId.get("u").getMessage().contains("not in the artifact store"), byId.get("u").getMessage());
        assertTrue(byId.get("h").getMessage().contains("SHA-256 mismatch"), byId.get("h").getMessage());
        assertTrue(byId.get("d").getMessage().contains("32 dimensions") && byId.get("d").getMessage().contains("64"),
                byId.get("d").getMessage());
        Rejected u = byId.get("u");
        assertEquals("99", u.getModelVersion());
        assertEquals(Topics.EMBEDDINGS, u.getSourceTopic());
        assertEquals(0L, u.getSourceOffset());
        assertArrayEquals(unknown, bytes(u.getOriginalValue()), "the original bytes, for a replay");
        assertEquals(Map.of("k", "v"), u.getAttributes());
        assertEquals("classifier", u.getService());
        assertEquals(List.of("ok"), classifications.readValuesToList().stream().map(Classification::getImageId).toList());
    }

    @Test
    void anImageNoSetAppliesToIsNotRejectedForItsVersionWhateverSharesItsBatch() {
        LabelSet camera7 = set("camera-7", 1, ANIMALS, 2, null);
        camera7.setAttributeFilter(Map.of("camera", "7"));
        labelSets.pipeInput("camera-7", camera7);
        embeddings.pipeInput("wanted", embedding("wanted", "99", randomUnitVector(64, 1), Map.of("camera", "7")));
        embeddings.pipeInput("unwanted", embedding("unwanted", "99", randomUnitVector(64, 2), Map.of("camera", "8")));
        flush();

        assertEquals(List.of("wanted"), rejected.readValuesToList().stream().map(Rejected::getId).toList());
        assertTrue(classifications.isEmpty());
        assertEquals(1.0, metrics.unmatchedCount(), "the other image is done: no set wants it");
    }

    @Test
    void undecodableAndInvalidRecordsAreRejectedAtOnceWithTheirBytes() {
        labelSets.pipeInput("animals", set("animals", 1, ANIMALS, 3, null));
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        embeddings.pipeInput("garbage", garbage);
        embeddings.pipeInput("tombstone", (byte[]) null);
        float[] nan = randomUnitVector(64, 1);
        nan[3] = Float.NaN;
        embeddings.pipeInput("nan", embedding("nan", "1", nan, Map.of()));
        embeddings.pipeInput("zero", embedding("zero", "1", new float[64], Map.of()));
        embeddings.pipeInput("no-version", embedding("no-version", " ", randomUnitVector(64, 1), Map.of()));

        // No flush needed: invalid records never wait in the buffer.
        Map<String, Rejected> byId = new java.util.HashMap<>();
        rejected.readValuesToList().forEach(r -> byId.put(r.getId(), r));
        assertEquals(RejectReason.UNDECODABLE_RECORD, byId.get("garbage").getReason());
        assertArrayEquals(garbage, bytes(byId.get("garbage").getOriginalValue()));
        assertArrayEquals("garbage".getBytes(StandardCharsets.UTF_8), bytes(byId.get("garbage").getOriginalKey()));
        assertEquals(RejectReason.INVALID_RECORD, byId.get("tombstone").getReason());
        assertEquals(RejectReason.INVALID_RECORD, byId.get("nan").getReason());
        assertTrue(byId.get("zero").getMessage().contains("zero vector"), byId.get("zero").getMessage());
        assertTrue(byId.get("no-version").getMessage().contains("no model version"));
        flush();
        assertTrue(classifications.isEmpty());
    }

    // --- batching and exactly-once

    @Test
    void embeddingsWaitInTheChangeloggedBufferUntilTheBatchIsFullOrThePunctuationFires() {
        labelSets.pipeInput("animals", set("animals", 1, ANIMALS, 2, null));
        String changelog = "classifier-topology-test-" + ClassifierTopology.BUFFER_STORE + "-changelog";
        TestOutputTopic<Long, byte[]> buffer = driver.createOutputTopic(changelog, Serdes.Long().deserializer(),
                Serdes.ByteArray().deserializer());

        for (int i = 0; i < MAX_BATCH - 1; i++) {
            embeddings.pipeInput("w" + i, embedding("w" + i, "1", randomUnitVector(64, 100 + i), Map.of()));
        }
        assertTrue(classifications.isEmpty(), "a batch is not full yet and no punctuation fired");
        List<TestRecord<Long, byte[]>> buffered = buffer.readRecordsToList();
        assertEquals(MAX_BATCH - 1, buffered.size(), "each waiting embedding is in the changelog, committed with the offsets");
        assertTrue(buffered.stream().allMatch(r -> r.value() != null));

        embeddings.pipeInput("w-last", embedding("w-last", "1", randomUnitVector(64, 99), Map.of()));
        assertEquals(MAX_BATCH, classifications.readValuesToList().size(), "the full batch is scored at once");
        List<TestRecord<Long, byte[]>> lastPutThenDeletes = buffer.readRecordsToList();
        assertEquals(MAX_BATCH + 1, lastPutThenDeletes.size());
        assertNotNull(lastPutThenDeletes.get(0).value(), "the last embedding is buffered too, then scored with the rest");
        assertTrue(lastPutThenDeletes.subList(1, MAX_BATCH + 1).stream().allMatch(r -> r.value() == null),
                "scored embeddings leave the buffer in the same transaction as their results");

        embeddings.pipeInput("late", embedding("late", "1", randomUnitVector(64, 98), Map.of()));
        assertTrue(classifications.isEmpty());
        driver.advanceWallClockTime(FLUSH);
        assertEquals(List.of("late"), classifications.readValuesToList().stream().map(Classification::getImageId).toList());
        assertEquals(1L, cache.misses(), "one build of the label embeddings");
        assertEquals(1L, cache.hits(), "reused by the second batch");
    }

    @Test
    void aNewRevisionIsEncodedAgainAndTopLabelCountsFollowTheConfiguredLabels() {
        labelSets.pipeInput("animals", set("animals", 1, List.of("cat", "dog"), 1, null));
        embeddings.pipeInput("x", embedding("x", "1", textEmbedding(v1, "a photo of a cat."), Map.of()));
        flush();
        assertEquals("cat", classifications.readValue().getLabels().get(0).getLabel());
        assertEquals(1.0, metrics.topLabelCount("animals", "cat"));

        labelSets.pipeInput("animals", set("animals", 2, List.of("cat", "car"), 1, null));
        embeddings.pipeInput("y", embedding("y", "1", textEmbedding(v1, "a photo of a car."), Map.of()));
        flush();
        Classification y = classifications.readValue();
        assertEquals(2L, y.getLabelSetRevision());
        assertEquals("car", y.getLabels().get(0).getLabel());
        assertEquals(2L, cache.misses());
        assertEquals(1.0, metrics.topLabelCount("animals", "cat"), "kept across revisions while configured");
        assertEquals(1.0, metrics.topLabelCount("animals", "car"));
        assertEquals(-1.0, metrics.topLabelCount("animals", "dog"), "dropped with the label");
    }

    @Test
    void aTinyClipTrainedOnCatsAndDogsClassifiesFreshPicturesCorrectly() throws Exception {
        labelSets.pipeInput("pets", set("pets", 1, TinyClipTraining.CLASSES, 2, null));
        Random random = new Random(2026);
        List<String> truth = new ArrayList<>();
        try (ServedModel trained = TinyCheckpoints.resolver(store).loadVersion(TinyClipTraining.VERSION);
                NDManager scope = manager.newSubManager()) {
            for (int i = 0; i < 8; i++) {
                String cls = TinyClipTraining.CLASSES.get(i % 2);
                float[] vector = trained.embedImages(scope, List.of(TinyClipTraining.picture(cls, random))).toFloatArray();
                embeddings.pipeInput("pet-" + i, embedding("pet-" + i, TinyClipTraining.VERSION, vector, Map.of()));
                truth.add(cls);
            }
        }
        flush();
        List<Classification> results = classifications.readValuesToList();
        assertEquals(8, results.size());
        for (Classification c : results) {
            String expected = truth.get(Integer.parseInt(c.getImageId().substring(4)));
            assertEquals(expected, c.getLabels().get(0).getLabel(), c.toString());
            assertTrue(c.getLabels().get(0).getProbability() > 0.5f);
        }
    }

    // --- hostile label sets (issue 13)

    @Test
    void aSetOverACapWrittenStraightToTheTopicIsRefusedAndTheOthersStillClassify() {
        labelSets.pipeInput("animals", set("animals", 1, ANIMALS, 2, null));
        // 1,001 labels: the API refuses it (max-labels 1000), a producer of its own can still write it.
        List<String> bomb = java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "label " + i).toList();
        labelSets.pipeInput("bomb", set("bomb", 1, bomb, 2, null));
        embeddings.pipeInput("img", embedding("img", "1", randomUnitVector(64, 21), Map.of()));
        flush();

        assertEquals(List.of("animals"), classifications.readValuesToList().stream()
                .map(Classification::getLabelSetId).toList(), "classified under the set within the caps only");
        assertTrue(rejected.isEmpty(), "the embedding is fine: not rejected for another's label set");
        assertEquals(1, metrics.refusedLabelSetCount());
        assertEquals(1L, cache.misses(), "the refused set was never encoded");
    }

    @Test
    void ofTwoWritesOfOneRevisionTheFirstInTheTopicWins() {
        // Two replicas both read revision 1 and wrote revision 2: every store keeps the first.
        labelSets.pipeInput("pets", set("pets", 1, List.of("cat", "dog"), 2, null));
        labelSets.pipeInput("pets", set("pets", 2, List.of("cat", "dog", "bird"), 3, null));
        labelSets.pipeInput("pets", set("pets", 2, List.of("car", "boat"), 2, null));
        labelSets.pipeInput("pets", set("pets", 1, List.of("fish"), 1, null)); // older: ignored too
        embeddings.pipeInput("img", embedding("img", "1", randomUnitVector(64, 22), Map.of()));
        flush();
        Classification first = classifications.readValue();
        assertEquals(2L, first.getLabelSetRevision());
        assertEquals(java.util.Set.of("cat", "dog", "bird"), java.util.Set.copyOf(first.getLabels().stream()
                .map(ScoredLabel::getLabel).toList()), "the first write of revision 2");

        // A tombstone deletes whatever the revision; a re-created set starts again at revision 1.
        labelSets.pipeInput("pets", (LabelSet) null);
        labelSets.pipeInput("pets", set("pets", 1, List.of("horse", "fish"), 2, null));
        embeddings.pipeInput("img-2", embedding("img-2", "1", randomUnitVector(64, 23), Map.of()));
        flush();
        Classification recreated = classifications.readValue();
        assertEquals(1L, recreated.getLabelSetRevision());
        assertEquals(java.util.Set.of("horse", "fish"), java.util.Set.copyOf(recreated.getLabels().stream()
                .map(ScoredLabel::getLabel).toList()));
    }

    @Test
    void labelEmbeddingsAreBuiltOffTheStreamThreadWhileTheirEmbeddingsWaitInTheBuffer() {
        // The builder thread, held by the test: a build that takes "minutes" with a real text encoder.
        List<Runnable> builds = new ArrayList<>();
        driver.close();
        cache.close();
        cache = new LabelEmbeddingCache(16, builds::add);
        metrics = new ClassifierMetrics(new SimpleMeterRegistry(), cache, versions);
        startDriver(new BatchClassifier(versions, cache, Clock.systemUTC(), Duration.ZERO));

        labelSets.pipeInput("animals", set("animals", 1, ANIMALS, 1, null));
        embeddings.pipeInput("early", embedding("early", "1", textEmbedding(v1, "a photo of a horse."), Map.of()));
        flush();
        assertEquals(1, builds.size(), "the build was handed to the builder");
        assertTrue(classifications.isEmpty(), "not classified yet");
        assertTrue(rejected.isEmpty(), "nor rejected: it waits");
        flush();
        embeddings.pipeInput("later", embedding("later", "1", textEmbedding(v1, "a photo of a bird."), Map.of()));
        flush();
        assertEquals(1, builds.size(), "one build however often it is asked for");
        assertTrue(classifications.isEmpty());

        builds.removeFirst().run(); // the builder finishes
        flush();
        Map<String, String> topByImage = new java.util.TreeMap<>();
        classifications.readValuesToList().forEach(c -> topByImage.put(c.getImageId(), c.getLabels().get(0).getLabel()));
        assertEquals(Map.of("early", "horse", "later", "bird"), topByImage, "both classified once the labels are built");
        assertTrue(builds.isEmpty());
        assertEquals(metrics.inCount(), metrics.classifiedCount() + metrics.unmatchedCount() + metrics.rejectedCount());
    }

    // --- helpers

    private void flush() {
        driver.advanceWallClockTime(FLUSH);
    }

    static LabelSet set(String id, long revision, List<String> labels, int topK, Float minProbability) {
        return LabelSet.newBuilder().setId(id).setRevision(revision)
                .setLabels(labels.stream().map(name -> new Label(name, List.of())).toList())
                .setTopK(topK).setMinProbability(minProbability).setUpdatedTime(Instant.now()).build();
    }

    private byte[] embedding(String id, String version, float[] vector, Map<String, String> attributes) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        return embeddingSerde.encode(ImageEmbedding.newBuilder().setImageId(id).setModelVersion(version)
                .setVector(values).setEventTime(eventTime).setEmbeddedTime(eventTime.plusMillis(40))
                .setAttributes(attributes).build());
    }

    private static Map<String, Classification> bySet(List<Classification> list) {
        Map<String, Classification> bySet = new java.util.HashMap<>();
        list.forEach(c -> assertNull(bySet.put(c.getLabelSetId(), c), "one classification per set"));
        return bySet;
    }

    static float[] randomUnitVector(int dimension, long seed) {
        Random random = new Random(seed);
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dimension; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static float[] textEmbedding(ServedModel model, String prompt) {
        try (NDManager scope = manager.newSubManager()) {
            return model.embedTexts(scope, List.of(prompt)).toFloatArray();
        }
    }

    /** softmax(scale × cosine) computed here in plain Java, one prompt per label ("a photo of a {}."). */
    private static float[] expectedProbabilities(ServedModel model, float[] image, List<String> labels) {
        double scale = model.model().logitScale();
        double[] logits = new double[labels.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < labels.size(); i++) {
            logits[i] = scale * cosine(image, textEmbedding(model, "a photo of a " + labels.get(i) + "."));
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = Math.exp(logits[i] - max);
            sum += logits[i];
        }
        float[] p = new float[labels.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (logits[i] / sum);
        }
        return p;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static float similarity(Classification c, String label) {
        return c.getLabels().stream().filter(l -> l.getLabel().equals(label)).findFirst().orElseThrow().getSimilarity();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        assertNotNull(buffer);
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
