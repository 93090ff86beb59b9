package io.clipstream.cli.demo;

import io.clipstream.cli.demo.DemoSummary.ClassifiedImage;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.ScoredLabel;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where the demo's images went: classified under the demo's label set ({@value Topics#CLASSIFICATIONS}), or
 * rejected with a reason by the embedder ({@value Topics#IMAGES_REJECTED}) or the classifier
 * ({@value Topics#EMBEDDINGS_REJECTED}). The first outcome per image counts; redeliveries are ignored.
 */
final class ImageOutcomes {

    static final List<String> TOPICS = List.of(Topics.CLASSIFICATIONS, Topics.IMAGES_REJECTED,
            Topics.EMBEDDINGS_REJECTED);

    private static final AvroSerde<Classification> CLASSIFICATION = AvroSerde.of(Classification.class);
    private static final AvroSerde<Rejected> REJECTED = AvroSerde.of(Rejected.class);

    private final Function<String, String> labelSetOfImage;
    private final Map<String, String> trueLabels;
    private final Map<String, ClassifiedImage> classified = new LinkedHashMap<>();
    private final Map<String, String> rejected = new TreeMap<>();

    /** @param trueLabels image id → the label the image truly has, for every image published */
    ImageOutcomes(String labelSetId, Map<String, String> trueLabels) {
        this(id -> labelSetId, trueLabels);
    }

    /**
     * @param labelSetOfImage image id → the label set whose result counts for it (several draws: its draw's)
     * @param trueLabels      image id → the label the image truly has, for every image published
     */
    ImageOutcomes(Function<String, String> labelSetOfImage, Map<String, String> trueLabels) {
        this.labelSetOfImage = labelSetOfImage;
        this.trueLabels = Map.copyOf(trueLabels);
    }

    /** Takes one record of {@link #TOPICS}; returns the image it classified, when it is a new demo result. */
    Optional<ClassifiedImage> accept(String topic, String key, byte[] value) {
        if (Topics.CLASSIFICATIONS.equals(topic)) {
            Classification result = CLASSIFICATION.decode(value);
            String id = result.getImageId();
            if (!isOpen(id) || !labelSetOfImage.apply(id).equals(result.getLabelSetId())) {
                return Optional.empty();
            }
            List<String> ranked = new ArrayList<>();
            result.getLabels().stream().map(ScoredLabel::getLabel).forEach(ranked::add);
            long latency = Duration.between(result.getEventTime(), result.getClassifiedTime()).toMillis();
            ClassifiedImage image = new ClassifiedImage(id, trueLabels.get(id), ranked, result.getModelVersion(),
                    latency);
            classified.put(id, image);
            return Optional.of(image);
        }
        if (Topics.IMAGES_REJECTED.equals(topic) || Topics.EMBEDDINGS_REJECTED.equals(topic)) {
            Rejected rejection = REJECTED.decode(value);
            String id = key != null ? key : rejection.getId();
            if (isOpen(id)) {
                rejected.put(id, rejection.getReason() + " (" + rejection.getService() + "): "
                        + rejection.getMessage());
            }
        }
        return Optional.empty();
    }

    private boolean isOpen(String id) {
        return id != null && trueLabels.containsKey(id) && !classified.containsKey(id) && !rejected.containsKey(id);
    }

    List<ClassifiedImage> classified() {
        return List.copyOf(classified.values());
    }

    /** Rejected image ids with the reason. */
    Map<String, String> rejected() {
        return Map.copyOf(rejected);
    }

    /** Whether every one of {@code sent} images has an outcome. */
    boolean accountsFor(long sent) {
        return classified.size() + rejected.size() >= sent;
    }
}
