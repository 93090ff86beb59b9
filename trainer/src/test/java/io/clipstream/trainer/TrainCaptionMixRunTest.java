package io.clipstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.StepResult;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.trainer.data.Batch;
import io.clipstream.trainer.data.CaptionMix;
import io.clipstream.trainer.data.StreamPair;
import io.clipstream.trainer.stream.KafkaCheckpointAnnouncer;
import io.clipstream.trainer.stream.KafkaPairSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caption mix through the real trainer path, without Quarkus: pairs with a name and keywords published to the
 * real broker, a run from scratch that bootstraps its vocabulary from the stream with the mix on, trains a few steps
 * and checkpoints on shutdown. The pairs reach the batches with their attributes, and the vocabulary the checkpoint
 * keeps learned a word that only the mix's templates contain.
 */
class TrainCaptionMixRunTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);
    /** A word that no emoji's name or caption holds: only the mix can have taught it to the vocabulary. */
    private static final String TEMPLATE_WORD = "zorblax";

    @Test
    void trainsWithTheMixAndItsVocabularyLearnedTheTemplates(@TempDir Path storeDir) throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String topic = TestTopics.pairs(bootstrap, 2);
        String checkpointsTopic = TestTopics.checkpoints(bootstrap);
        List<EmojiPairs.Emoji> emoji = EmojiPairs.all().subList(0, 160);
        List<NormalizedPair> pairs = new ArrayList<>();
        for (int i = 0; i < emoji.size(); i++) {
            NormalizedPair pair = EmojiPairs.normalized("google", emoji.get(i), 64,
                    Instant.ofEpochSecond(1_700_000_000L + i));
            // Sent as a code, named by its attributes: trained on as sent, "keycap" would never be read as a name.
            pairs.add(NormalizedPair.newBuilder(pair).setCaption("emoji " + i)
                    .setAttributes(Map.of("label", emoji.get(i).label(), "keywords", "symbol, sign")).build());
        }
        EmojiPairs.publish(bootstrap, topic, pairs);

        CaptionMix.Settings mix = new CaptionMix.Settings(true, "label", "keywords",
                List.of("a " + TEMPLATE_WORD + " of {}.", "{}, in " + TEMPLATE_WORD + " style."), 1, 1, 2);
        TrainerSettings settings = new TestSettings(topic).batch(16, 0.25, 32).captionMix(mix).build();
        ArtifactStore store = ArtifactStore.open(storeDir.toString());
        AtomicInteger readers = new AtomicInteger();
        Map<String, Map<String, String>> attributesTrained = new ConcurrentHashMap<>();
        AtomicInteger steps = new AtomicInteger();
        AtomicInteger nonFinite = new AtomicInteger();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void stepped(Batch batch, StepResult result, Duration stepTime, Duration inputWait) {
                if (!Float.isFinite(result.loss())) {
                    nonFinite.incrementAndGet();
                }
                for (StreamPair pair : batch.pairs()) {
                    attributesTrained.put(pair.pairId(), pair.attributes());
                }
                steps.incrementAndGet();
            }
        };
        TrainingRun run;
        try (KafkaCheckpointAnnouncer announcer = new KafkaCheckpointAnnouncer(
                KafkaClientSettings.plaintext(bootstrap), checkpointsTopic, "mix")) {
            run = new TrainingRun(settings, store, () -> new KafkaPairSource(KafkaClientSettings.plaintext(bootstrap),
                    topic, "earliest", "mix-" + readers.incrementAndGet()), announcer, listener, false);
            run.start();
            Await.until(() -> steps.get() >= 4 || run.state() == RunState.FAILED, TIMEOUT,
                    () -> run.status().toString());
            run.stop(true, Duration.ofSeconds(60));
        }
        assertTrue(steps.get() >= 4, run.status().toString());
        assertEquals(0, nonFinite.get(), "every loss finite");
        assertFalse(attributesTrained.isEmpty());
        Map<String, String> byId = new ConcurrentHashMap<>();
        pairs.forEach(p -> byId.put(p.getPairId(), p.getAttributes().get("label")));
        attributesTrained.forEach((id, attributes) -> {
            assertEquals(byId.get(id), attributes.get("label"), "the name travelled with " + id);
            assertEquals("symbol, sign", attributes.get("keywords"));
        });

        // The shutdown checkpoint's vocabulary, as a resumed run reads it.
        try (TrainingSession resumed = TrainingSession.open(settings, store, () -> {
            throw new AssertionError("a resume reads no captions");
        }, () -> false)) {
            assertEquals(TrainingSession.Origin.RESUMED, resumed.origin());
            assertEquals(1, resumed.tokenizer().encode(TEMPLATE_WORD).length,
                    "the bootstrap learned the templates' word as one token");
        }
    }
}
