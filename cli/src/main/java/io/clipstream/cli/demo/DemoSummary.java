package io.clipstream.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a demo run: what was ingested and trained, and how well the rolled-out checkpoint classified the
 * images against their true labels, beside what guessing would score. Ends with one machine-readable line.
 *
 * @param pairs          pairs published, ingested and rejected
 * @param training       steps and loss of the rolled-out checkpoint, and its version
 * @param labels         the size of the label set
 * @param classified     the images classified under the demo's label set
 * @param images         images published, rejected on the way, and never accounted for
 * @param crossStyle     whether the classified images differ from those trained on
 * @param prompts        accuracy per prompt variant over the draws (the last variant is the headline); empty when
 *                       only {@code classified} was scored
 * @param search         text → image recall through the search service, or {@code null} when it was not measured
 */
public record DemoSummary(PairCounts pairs, Training training, int labels, List<ClassifiedImage> classified,
        ImageCounts images, boolean crossStyle, List<DrawScores.VariantScore> prompts, SearchRecall search) {

    /** How many of the ranked labels count for top-k accuracy. */
    static final int TOP_K = 5;

    public record PairCounts(long published, long ingested, long rejected) {
        /** Pairs that ended neither normalised nor rejected when training was done. */
        long unseen() {
            return Math.max(0, published - ingested - rejected);
        }
    }

    /** @param loss the trainer's training loss at the checkpoint, if it reported one */
    public record Training(long step, Double loss, String checkpoint) {
    }

    public record ImageCounts(long published, long rejected, long missing) {
    }

    /**
     * @param ranked        labels as the classifier ranked them, most probable first
     * @param latencyMillis from the image's event time (publication) to its classification
     */
    public record ClassifiedImage(String imageId, String trueLabel, List<String> ranked, String modelVersion,
            long latencyMillis) {
        public ClassifiedImage {
            ranked = List.copyOf(ranked);
        }

        boolean inTop(int k) {
            return ranked.subList(0, Math.min(k, ranked.size())).contains(trueLabel);
        }
    }

    public DemoSummary {
        if (labels < 1) {
            throw new IllegalArgumentException("A label set has at least one label");
        }
        if (classified.isEmpty()) {
            throw new DemoFailure("No image was classified under the demo's label set: there is nothing to score");
        }
        classified = List.copyOf(classified);
        prompts = List.copyOf(prompts);
    }

    public DemoSummary(PairCounts pairs, Training training, int labels, List<ClassifiedImage> classified,
            ImageCounts images, boolean crossStyle) {
        this(pairs, training, labels, classified, images, crossStyle, List.of(), null);
    }

    public DemoSummary(PairCounts pairs, Training training, int labels, List<ClassifiedImage> classified,
            ImageCounts images, boolean crossStyle, List<DrawScores.VariantScore> prompts) {
        this(pairs, training, labels, classified, images, crossStyle, prompts, null);
    }

    /** The same outcome with the search service's recall beside it. */
    public DemoSummary withSearch(SearchRecall recall) {
        return new DemoSummary(pairs, training, labels, classified, images, crossStyle, prompts, recall);
    }

    /** The fraction of images whose most probable label is the true one (the headline variant's mean over draws). */
    public double top1() {
        return prompts.isEmpty() ? fractionInTop(1) : prompts.getLast().top1();
    }

    /** The fraction of images whose true label is among the {@value #TOP_K} most probable (as {@link #top1()}). */
    public double top5() {
        return prompts.isEmpty() ? fractionInTop(TOP_K) : prompts.getLast().top5();
    }

    /** Top-1 accuracy of a uniform guess. */
    public double chance() {
        return 1.0 / labels;
    }

    /** Top-5 accuracy of a uniform guess (every label is in the top 5 of a set of 5 or fewer). */
    public double chanceTop5() {
        return Math.min(TOP_K, labels) / (double) labels;
    }

    /** The nearest-rank percentile (0 &lt; q ≤ 1) of the end-to-end latencies, in milliseconds. */
    public long latencyPercentile(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("Percentile must be in (0, 1]: " + q);
        }
        long[] sorted = classified.stream().mapToLong(ClassifiedImage::latencyMillis).sorted().toArray();
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** Images classified by another model version than the rolled-out checkpoint (expected: none). */
    public long otherModelVersions() {
        return classified.stream().filter(c -> !c.modelVersion().equals(training.checkpoint())).count();
    }

    /** The summary for a person; the last line is {@link #machineLine()}. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "pairs      %d published, %d ingested, %d rejected%s",
                pairs.published(), pairs.ingested(), pairs.rejected(), pairs.unseen() == 0 ? ""
                        : ", " + pairs.unseen() + " on neither topic yet (still in ingest when training was done)"));
        lines.add(String.format(Locale.ROOT, "training   %d steps, loss %s, checkpoint %s", training.step(),
                training.loss() == null ? "(not reported)" : String.format(Locale.ROOT, "%.4f", training.loss()),
                training.checkpoint()));
        lines.add(String.format(Locale.ROOT, "images     %d published, %d classified, %d rejected, %d missing",
                images.published(), classified.size(), images.rejected(), images.missing()));
        if (otherModelVersions() > 0) {
            lines.add("           " + otherModelVersions() + " classified by a model version other than "
                    + training.checkpoint());
        }
        if (prompts.isEmpty()) {
            lines.add(String.format(Locale.ROOT, "accuracy   top-1 %.3f (chance %.3f), top-5 %.3f (chance %.3f), %d labels",
                    top1(), chance(), top5(), chanceTop5(), labels));
        } else {
            DrawScores.VariantScore headline = prompts.getLast();
            lines.add(String.format(Locale.ROOT, "accuracy   top-1 %.3f ± %.3f, top-5 %.3f ± %.3f with the %s "
                    + "(mean ± standard error over %d draws of %d labels; chance %.3f / %.3f)", headline.top1(),
                    headline.top1Error(), headline.top5(), headline.top5Error(), headline.variant().describe(),
                    headline.draws(), labels, chance(), chanceTop5()));
            for (int i = 0; i < prompts.size(); i++) {
                DrawScores.VariantScore score = prompts.get(i);
                lines.add(String.format(Locale.ROOT, "%s%-28s top-1 %.3f ± %.3f, top-5 %.3f ± %.3f",
                        i == 0 ? "prompts    " : "           ", score.variant().describe(), score.top1(),
                        score.top1Error(), score.top5(), score.top5Error()));
            }
        }
        lines.add(String.format(Locale.ROOT, "latency    p50 %d ms, p99 %d ms (publication to classification)",
                latencyPercentile(0.50), latencyPercentile(0.99)));
        if (search != null) {
            lines.add(String.format(Locale.ROOT, "search     text → image recall@%d %.3f (chance %.3f): %d of %d labels "
                    + "found among %d indexed images by the label alone%s", search.k(), search.recall(),
                    search.chance(), search.hits(), search.queries(), search.indexed(),
                    search.indexed() < search.expected() ? " (" + search.expected() + " classified: "
                            + (search.expected() - search.indexed()) + " not indexed in time)" : ""));
        }
        if (!crossStyle) {
            lines.add("note       one style only: the images classified are those trained on, so this measures "
                    + "fit, not generalisation");
        }
        lines.add(machineLine());
        return lines;
    }

    /** {@code demo: top1=0.234 top5=0.512 chance=0.010 labels=100 images=500 p50_ms=41 p99_ms=180 checkpoint=3}. */
    public String machineLine() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "demo: top1=%.3f top5=%.3f chance=%.3f labels=%d images=%d p50_ms=%d p99_ms=%d checkpoint=%s",
                top1(), top5(), chance(), labels, classified.size(), latencyPercentile(0.50),
                latencyPercentile(0.99), training.checkpoint()));
        if (!prompts.isEmpty()) {
            line.append(String.format(Locale.ROOT, " draws=%d top1_se=%.3f", prompts.getLast().draws(),
                    prompts.getLast().top1Error()));
            for (DrawScores.VariantScore score : prompts.subList(0, prompts.size() - 1)) {
                line.append(String.format(Locale.ROOT, " top1_%s=%.3f", score.variant().name(), score.top1()));
            }
        }
        if (search != null) {
            line.append(String.format(Locale.ROOT, " search_r%d=%.3f search_queries=%d", search.k(), search.recall(),
                    search.queries()));
        }
        return line.toString();
    }

    private double fractionInTop(int k) {
        return classified.stream().filter(c -> c.inTop(k)).count() / (double) classified.size();
    }
}
