package io.clipstream.cli.demo;

import io.clipstream.cli.demo.EmojiCorpus.Concept;
import io.clipstream.cli.demo.EmojiCorpus.Drawing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * What one demo run trains on and classifies.
 *
 * @param labels      the label set: distinct labels chosen at random (seeded, so that a run can be repeated) among
 *                    the concepts that have an image to classify; sorted. The first of {@code draws}
 * @param draws       the label sets of each draw (as many as asked, each drawn like {@code labels}), whose accuracies
 *                    are averaged with a standard error
 * @param trainPairs  the pairs to train on, in a shuffled order (batches should mix concepts): every drawing of the
 *                    training styles, or {@code --train-pairs} of them taking the chosen concepts first, so that
 *                    every label is seen in training as far as the limit allows
 * @param testImages  every image to classify: the other style's drawing of each concept with a chosen label (the
 *                    training image itself when the corpus has one style)
 * @param crossStyle  whether the images classified differ from those trained on
 * @param validationImages images of the classified style whose concepts are not labels of the run (as many as there
 *                    are labels, fewer when the corpus runs out): the trainer's zero-shot suite, so that every
 *                    checkpoint is judged, and the learning curve drawn, on the style classified without ever
 *                    touching the images the summary scores; empty without a second style
 */
public record DemoPlan(List<String> labels, List<List<String>> draws, List<Drawing> trainPairs, List<TestImage> testImages, boolean crossStyle,
        List<TestImage> validationImages) {

    /** An image to classify, its id on the topics and the label it truly has. */
    public record TestImage(String imageId, Path file, String trueLabel) {
    }

    public DemoPlan {
        labels = List.copyOf(labels);
        draws = draws.stream().map(List::copyOf).toList();
        trainPairs = List.copyOf(trainPairs);
        testImages = List.copyOf(testImages);
        validationImages = List.copyOf(validationImages);
    }

    /** Refuses choices no corpus can satisfy, before any work is done. */
    public static void checkChoices(int labelCount, Integer trainPairLimit, int draws) {
        if (draws < 1) {
            throw new DemoFailure("--draws must be at least 1");
        }
        if (labelCount < 2) {
            throw new DemoFailure("--labels must be at least 2 (one label is always right)");
        }
        if (trainPairLimit != null && trainPairLimit < 1) {
            throw new DemoFailure("--train-pairs must be at least 1");
        }
    }

    /** The first {@code labelCount} distinct labels with an image to classify, in {@code order}; sorted. */
    private static List<String> draw(EmojiCorpus corpus, List<Concept> order, int labelCount) {
        Set<String> chosen = new LinkedHashSet<>();
        for (Concept concept : order) {
            if (chosen.size() == labelCount) {
                break;
            }
            if (corpus.testImage(concept).isPresent()) {
                chosen.add(concept.label());
            }
        }
        if (chosen.size() < labelCount) {
            throw new DemoFailure("Asked for " + labelCount + " labels, but " + corpus.root() + " has only "
                    + chosen.size() + " distinct labels with an image to classify");
        }
        return chosen.stream().sorted().toList();
    }

    public static DemoPlan of(EmojiCorpus corpus, int labelCount, Integer trainPairLimit, long seed) {
        return of(corpus, labelCount, trainPairLimit, seed, 1);
    }

    /** A plan with {@code drawCount} draws of labels; the first is the one a single-draw plan has. */
    public static DemoPlan of(EmojiCorpus corpus, int labelCount, Integer trainPairLimit, long seed, int drawCount) {
        checkChoices(labelCount, trainPairLimit, drawCount);
        List<Concept> shuffled = new ArrayList<>(corpus.concepts());
        Random random = new Random(seed);
        Collections.shuffle(shuffled, random);

        List<List<String>> draws = new ArrayList<>();
        draws.add(draw(corpus, shuffled, labelCount));
        for (int d = 1; d < drawCount; d++) {
            List<Concept> reshuffled = new ArrayList<>(corpus.concepts());
            Collections.shuffle(reshuffled, new Random(seed + 1_000_003L * d));
            draws.add(draw(corpus, reshuffled, labelCount));
        }
        Set<String> chosen = new LinkedHashSet<>();
        draws.forEach(chosen::addAll);

        List<TestImage> testImages = new ArrayList<>();
        List<Concept> trainPairs = new ArrayList<>();
        List<Concept> others = new ArrayList<>();
        Set<String> imageIds = new HashSet<>();
        for (Concept concept : shuffled) {
            boolean labelled = chosen.contains(concept.label());
            (labelled ? trainPairs : others).add(concept);
            Optional<Path> image = corpus.testImage(concept);
            if (labelled && image.isPresent()) {
                if (!imageIds.add(concept.id())) {
                    throw new DemoFailure("Two images in " + corpus.root() + " have the id " + concept.id()
                            + " (the file name without extension): rename one");
                }
                testImages.add(new TestImage(concept.id(), image.get(), concept.label()));
            }
        }
        List<TestImage> validationImages = new ArrayList<>();
        Set<String> validationLabels = new HashSet<>();
        for (Concept concept : others) {
            Optional<Path> image = corpus.testImage(concept);
            if (corpus.hasTestStyle() && validationImages.size() < labelCount && image.isPresent()
                    && !chosen.contains(concept.label()) && validationLabels.add(concept.label())) {
                validationImages.add(new TestImage(concept.id(), image.get(), concept.label()));
            }
        }
        trainPairs.addAll(others);
        List<Drawing> drawings = new ArrayList<>();
        for (Concept concept : trainPairs) {
            drawings.addAll(corpus.drawings(concept));
        }
        if (trainPairLimit != null && drawings.size() > trainPairLimit) {
            drawings = new ArrayList<>(drawings.subList(0, trainPairLimit));
        }
        Collections.shuffle(drawings, random);
        return new DemoPlan(draws.getFirst(), draws, drawings, testImages, corpus.hasTestStyle(),
                validationImages);
    }
}
