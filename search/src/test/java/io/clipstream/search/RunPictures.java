package io.clipstream.search;

import ai.djl.ndarray.NDManager;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.TinyClipTraining;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.ClipSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Fresh cat and dog pictures of one test run, embedded by the cat/dog CLIP of the store and published on
 * clipstream.embeddings as {@code <run>-<class>-<i>}, with the attributes {@code run} and {@code class}.
 */
final class RunPictures {

    private RunPictures() {
    }

    /** Publishes {@code perClass} pictures of each class (the same ones every time). */
    static void publish(String storeLocation, String run, int perClass) throws Exception {
        Random random = new Random(42);
        try (ServedModel model = new CheckpointResolver(ArtifactStore.open(storeLocation), Optional.empty(),
                ImageLimits.DEFAULT).loadVersion(TinyClipTraining.VERSION);
                NDManager scope = Engines.newManager(); KafkaTestClient kafka = KafkaTestClient.shared()) {
            for (int i = 0; i < perClass; i++) {
                for (String cls : TinyClipTraining.CLASSES) {
                    float[] vector = model.embedImages(scope, List.of(TinyClipTraining.picture(cls, random)))
                            .toFloatArray();
                    String id = run + "-" + cls + "-" + i;
                    kafka.send(Topics.EMBEDDINGS, id, embedding(id, cls, run, vector));
                }
            }
        }
    }

    private static byte[] embedding(String id, String cls, String run, float[] vector) {
        List<Float> values = new ArrayList<>();
        for (float v : vector) {
            values.add(v);
        }
        return ClipSerdes.imageEmbedding().encode(ImageEmbedding.newBuilder().setImageId(id)
                .setModelVersion(TinyClipTraining.VERSION).setVector(values).setEventTime(Instant.now())
                .setEmbeddedTime(Instant.now()).setAttributes(Map.of("run", run, "class", cls)).build());
    }
}
