package io.clipstream.classifier.scoring;

import io.clipstream.classifier.TinyCheckpoints;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.StoredCheckpoints;
import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a label set costs to encode, per prompt, with the tiny test model and ViT-B/32's text tower (random weights:
 * the cost does not depend on them). The label-set caps ({@code max-prompts}) are chosen from these numbers.
 *
 * <p>Run: {@code ./mvnw -B -pl classifier -am -Pbench test -Dtest=LabelEmbeddingsBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class LabelEmbeddingsBench {

    @TempDir
    Path storeDir;

    @Test
    void promptsPerSecondOfTheTextEncoders() throws Exception {
        ArtifactStore store = ArtifactStore.open(storeDir.toString());
        for (String preset : List.of("tiny", "vit-b-32")) {
            StoredCheckpoints.publishRandom(store, preset, preset);
            try (ServedModel model = TinyCheckpoints.resolver(store).loadVersion(preset)) {
                LabelEmbeddings.build(set(64, 1), model).close(); // warm-up
                // ViT-B/32's text tower is ~6 GFLOP per prompt: a few hundred prompts say enough on 2 cores.
                for (int labels : preset.equals("tiny") ? List.of(256, 1024) : List.of(64)) {
                    LabelSet set = set(labels, 4);
                    long start = System.nanoTime();
                    LabelEmbeddings.build(set, model).close();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    int prompts = labels * 4;
                    System.out.printf(Locale.ROOT, "%-9s %5d prompts: %7.2f s, %7.2f ms/prompt, %8.0f prompts/s%n",
                            preset, prompts, seconds, seconds * 1000 / prompts, prompts / seconds);
                }
            }
        }
    }

    private static LabelSet set(int labels, int templates) {
        return LabelSet.newBuilder().setId("bench").setRevision(1)
                .setLabels(IntStream.range(0, labels).mapToObj(i -> new Label("label number " + i, List.of())).toList())
                .setTemplates(IntStream.range(0, templates).mapToObj(i -> "a photo of a {}, variant " + i + ".").toList())
                .setUpdatedTime(Instant.now()).build();
    }
}
