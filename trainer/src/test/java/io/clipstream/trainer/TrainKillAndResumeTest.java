package io.clipstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.trainer.checkpoint.ResumePoint;
import io.clipstream.trainer.data.HeldOutSplit;
import io.clipstream.trainer.stream.KafkaCheckpointAnnouncer;
import io.clipstream.trainer.stream.KafkaPairSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer killed between two checkpoints (no shutdown checkpoint) and started again resumes from the checkpoint's
 * offsets and state: over both runs every pair that is not held out is trained on exactly once, relative to that
 * checkpoint, and the step and samples-seen counts continue from it. The training loop runs in-process, without
 * Quarkus, against the real broker.
 */
class TrainKillAndResumeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    @Test
    void resumesFromTheCheckpointOffsetsWithNoGapAndNoDoubleCount(@TempDir Path storeDir) throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String topic = TestTopics.pairs(bootstrap, 3);
        String checkpointsTopic = TestTopics.checkpoints(bootstrap);
        List<EmojiPairs.Emoji> emoji = EmojiPairs.all().subList(0, 480);
        List<NormalizedPair> pairs = new ArrayList<>();
        for (int i = 0; i < emoji.size(); i++) {
            pairs.add(EmojiPairs.normalized("google", emoji.get(i), 64, Instant.ofEpochSecond(1_700_000_000L + i)));
        }
        EmojiPairs.publish(bootstrap, topic, pairs);
        HeldOutSplit split = new HeldOutSplit(0.1);
        Set<String> heldOut = pairs.stream().map(NormalizedPair::getPairId).filter(split::isHeldOut)
                .collect(Collectors.toSet());
        Set<String> toTrain = pairs.stream().map(NormalizedPair::getPairId).filter(id -> !heldOut.contains(id))
                .collect(Collectors.toSet());

        ArtifactStore store = ArtifactStore.open(storeDir.toString());
        TrainerSettings settings = new TestSettings(topic).batch(16, 0.25, 48).checkpointEvery(8).build();
        AtomicInteger readers = new AtomicInteger();

        // Run 1: checkpoints at step 8, is paused by its own listener after step 12, then abandoned.
        AtomicReference<TrainingRun> first = new AtomicReference<>();
        RecordingListener one = new RecordingListener(step -> {
            if (step.step() == 12) {
                first.get().pause();
            }
        });
        try (KafkaCheckpointAnnouncer announcer = new KafkaCheckpointAnnouncer(KafkaClientSettings.plaintext(bootstrap), checkpointsTopic, "t1")) {
            first.set(new TrainingRun(settings, store, () -> new KafkaPairSource(KafkaClientSettings.plaintext(bootstrap), topic, "earliest",
                    "kill-" + readers.incrementAndGet()), announcer, one, false));
            first.get().start();
            Await.until(() -> first.get().state() == RunState.PAUSED || first.get().state() == RunState.FAILED,
                    TIMEOUT, () -> first.get().status().toString());
            assertEquals(12, first.get().status().progress().step(), first.get().status().toString());
            first.get().stop(false, Duration.ofSeconds(30));
        }
        ResumePoint checkpoint = ResumePoint.latest(store).orElseThrow();
        assertEquals("1", checkpoint.version());
        assertEquals(8, checkpoint.state().step());
        List<String> beforeCheckpoint = one.freshUpTo(8);
        assertEquals(checkpoint.state().samplesSeen(), beforeCheckpoint.size());
        assertTrue(one.freshUpTo(12).size() > beforeCheckpoint.size(), "run 1 trained past its checkpoint");

        // Run 2: resumes from version 1 and trains until every pair has been trained on, then stops gracefully.
        RecordingListener two = new RecordingListener();
        TrainingRun second;
        try (KafkaCheckpointAnnouncer announcer = new KafkaCheckpointAnnouncer(KafkaClientSettings.plaintext(bootstrap), checkpointsTopic, "t2")) {
            second = new TrainingRun(settings, store, () -> new KafkaPairSource(KafkaClientSettings.plaintext(bootstrap), topic, "earliest",
                    "kill-" + readers.incrementAndGet()), announcer, two, false);
            second.start();
            Await.until(() -> union(beforeCheckpoint, two.freshUpTo(Long.MAX_VALUE)).containsAll(toTrain)
                    || second.state() == RunState.FAILED, TIMEOUT, () -> second.status().toString());
            second.stop(true, Duration.ofSeconds(60));
        }

        assertEquals(9, two.steps().get(0).step(), "the step count continues from the checkpoint");
        List<String> afterCheckpoint = two.freshUpTo(Long.MAX_VALUE);
        List<String> all = new ArrayList<>(beforeCheckpoint);
        all.addAll(afterCheckpoint);
        assertEquals(toTrain.size(), all.size(), "no pair trained twice relative to the checkpoint");
        assertEquals(toTrain, new HashSet<>(all), "no pair left out");
        assertTrue(two.steps().stream().flatMap(s -> s.replayed().stream()).allMatch(toTrain::contains),
                "replay holds trained pairs only, never held-out ones");
        assertEquals(toTrain.size(), second.status().progress().samplesSeen());

        ResumePoint last = ResumePoint.latest(store).orElseThrow();
        assertEquals(toTrain.size(), last.state().samplesSeen(), "the shutdown checkpoint counts every pair once");
        assertEquals(two.steps().getLast().step(), last.state().step());

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            List<ConsumerRecord<String, Checkpoint>> announced = kafka.readUntil(checkpointsTopic,
                    AvroSerde.of(Checkpoint.class), r -> r.stream().anyMatch(c -> c.key().equals(last.version())),
                    Duration.ofSeconds(30));
            assertTrue(announced.stream().anyMatch(c -> c.key().equals("1") && c.value().getStep() == 8),
                    "version 1 announced at step 8");
            Checkpoint lastRecord = announced.stream().filter(c -> c.key().equals(last.version())).findFirst()
                    .orElseThrow().value();
            assertEquals(toTrain.size(), lastRecord.getSamplesSeen());
            assertEquals(3, lastRecord.getSourceOffsets().size(), "an offset for every partition");
        }
    }

    private static Set<String> union(List<String> a, List<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
