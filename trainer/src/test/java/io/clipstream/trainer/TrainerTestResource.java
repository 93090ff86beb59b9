package io.clipstream.trainer;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.schemas.NormalizedPair;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trainer service's test world: the shared in-process broker, pairs and checkpoints topics of its own with 240
 * emoji pairs already published, an empty artifact store, and small-model settings.
 */
public class TrainerTestResource implements QuarkusTestResourceLifecycleManager {

    public static final int PAIRS = 240;

    @Override
    public Map<String, String> start() {
        EmbeddedKafka broker = EmbeddedKafka.shared();
        String bootstrap = broker.bootstrapServers();
        String topic = TestTopics.pairs(bootstrap, 2);
        String checkpoints = TestTopics.checkpoints(bootstrap);
        List<NormalizedPair> pairs = new ArrayList<>();
        List<EmojiPairs.Emoji> emoji = EmojiPairs.all().subList(0, PAIRS);
        for (int i = 0; i < emoji.size(); i++) {
            pairs.add(EmojiPairs.normalized("google", emoji.get(i), 64, Instant.ofEpochSecond(1_700_000_000L + i)));
        }
        EmojiPairs.publish(bootstrap, topic, pairs);
        try {
            return Map.ofEntries(
                    Map.entry("kafka.bootstrap.servers", bootstrap),
                    Map.entry("clipstream.trainer.topic", topic),
                    Map.entry("clipstream.trainer.checkpoints-topic", checkpoints),
                    Map.entry("clipstream.model.store", Files.createTempDirectory("trainer-store").toUri().toString()),
                    Map.entry("clipstream.trainer.batch.size", "16"),
                    Map.entry("clipstream.trainer.batch.shuffle-buffer", "48"),
                    Map.entry("clipstream.trainer.batch.idle-flush", "PT0.3S"),
                    Map.entry("clipstream.trainer.held-out.fraction", "0.1"),
                    Map.entry("clipstream.trainer.tokenizer.vocab-size", "1024"),
                    Map.entry("clipstream.trainer.optimizer.warmup-steps", "5"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // The broker is shared by the JVM's tests and stops with it.
    }
}
