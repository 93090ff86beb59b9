package io.clipstream.trainer.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The caption a pair is trained with, drawn afresh each time it goes into a batch from a mix of phrasings: its name,
 * its name with its keywords ({@code grinning face — face, grin}), or its name inside a sentence template. A text
 * tower that only ever saw bare names cannot profit from prompt templates at zero-shot time; one that saw varied
 * sentences around a name can. The draw is seeded by the run's seed, the pair id and the step, so that a run repeats
 * and each pass over a pair (replay, rehearsal) sees another phrasing. Off, the caption is the one sent. Thread-safe.
 */
public final class CaptionMix {

    /** The template's placeholder for the name. */
    public static final String PLACEHOLDER = "{}";
    /** Between a name and its keywords. */
    static final String KEYWORDS_SEPARATOR = " — ";

    private static final CaptionMix OFF = new CaptionMix(Settings.disabled(), 0);

    private final Settings settings;
    private final long seed;
    private final double total;

    public CaptionMix(Settings settings, long seed) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
        this.total = settings.nameShare() + settings.keywordsShare() + settings.templateShare();
    }

    /** Captions as sent. */
    public static CaptionMix off() {
        return OFF;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public Settings settings() {
        return settings;
    }

    /** The caption {@code pair} is trained with in the batch of {@code step}. */
    public String caption(StreamPair pair, long step) {
        return caption(pair.pairId(), pair.caption(), pair.attributes(), step);
    }

    /** The caption of a pair with this id, caption as sent and attributes, in the batch of {@code step}. */
    public String caption(String pairId, String caption, Map<String, String> attributes, long step) {
        if (!settings.enabled()) {
            return caption;
        }
        String name = name(caption, attributes);
        SplittableRandom random = new SplittableRandom(seed(pairId, step));
        double draw = random.nextDouble() * total;
        if (draw < settings.nameShare()) {
            return name;
        }
        if (draw < settings.nameShare() + settings.keywordsShare()) {
            return withKeywords(name, attributes);
        }
        List<String> templates = settings.templates();
        return fill(templates.get(random.nextInt(templates.size())), name);
    }

    /**
     * Every phrasing the mix can give this pair (the caption as sent first, no repeats): what a vocabulary trained
     * before the model exists must learn from, so that the template words are in it. Off, the caption alone.
     */
    public List<String> variants(String caption, Map<String, String> attributes) {
        if (!settings.enabled()) {
            return List.of(caption);
        }
        String name = name(caption, attributes);
        LinkedHashSet<String> variants = new LinkedHashSet<>();
        variants.add(caption);
        variants.add(name);
        variants.add(withKeywords(name, attributes));
        for (String template : settings.templates()) {
            variants.add(fill(template, name));
        }
        return List.copyOf(variants);
    }

    /** The name attribute, or the caption as sent when the pair has none. */
    String name(String caption, Map<String, String> attributes) {
        String name = attributes.get(settings.nameAttribute());
        return name == null || name.isBlank() ? caption : name.strip();
    }

    /** The name followed by its comma-separated keywords, or the name alone when it has none. */
    String withKeywords(String name, Map<String, String> attributes) {
        String keywords = attributes.get(settings.keywordsAttribute());
        if (keywords == null) {
            return name;
        }
        List<String> words = new ArrayList<>();
        for (String word : keywords.split(",")) {
            if (!word.isBlank()) {
                words.add(word.strip());
            }
        }
        return words.isEmpty() ? name : name + KEYWORDS_SEPARATOR + String.join(", ", words);
    }

    private static String fill(String template, String name) {
        return template.replace(PLACEHOLDER, name);
    }

    private long seed(String pairId, long step) {
        return PairDraws.seed(seed, 0x6A09E667F3BCC909L, pairId, step);
    }

    /**
     * The mix's configuration ({@code clipstream.trainer.caption-mix.*}), validated whether enabled or not: a mix that
     * cannot be drawn from is a configuration error, told at start-up.
     *
     * @param enabled whether captions are mixed at all
     * @param nameAttribute the attribute holding the pair's name
     * @param keywordsAttribute the attribute holding its comma-separated keywords
     * @param templates sentences with {@code {}} for the name
     * @param nameShare weight of the name alone
     * @param keywordsShare weight of the name with its keywords
     * @param templateShare weight of the name inside a template (one of them, uniformly)
     */
    public record Settings(boolean enabled, String nameAttribute, String keywordsAttribute, List<String> templates,
            double nameShare, double keywordsShare, double templateShare) {

        /**
         * Twenty ways a caption on the web puts a name into a sentence about an image. Not the zero-shot evaluation
         * templates ("an emoji of {}.", "a drawing of {}.", "an icon of {}.", "a cartoon of {}.", "a sticker of
         * {}.", "a photo of a {}."): those stay unseen, so that zero-shot measures phrasings the model was not trained
         * on. Their words are not kept out: a text tower that never read "sticker" or "cartoon" (a vocabulary learnt
         * from emoji names has no such token) reads a prompt with them as noise, and with five phrasings an ensemble of
         * such prompts scored 0.296 against 0.354 for the bare label in the demo; with these twenty, 0.322 against 0.340.
         */
        public static final List<String> DEFAULT_TEMPLATES = List.of(
                "a picture of {}.", "{}, drawn as an emoji.", "an icon showing {}.", "this is {}.",
                "a small image of {}.", "{} in a drawing.", "{} as a cartoon.", "{} on a sticker.",
                "an illustration showing {}.", "clip art: {}.", "{} as a pictogram.", "the {} symbol.",
                "the {} emoji.", "a colourful {}.", "{} on a white background.", "a close-up showing {}.",
                "{} drawn in a flat style.", "look: {}!", "{} in bright colours.", "here is {}.");

        private static final String PREFIX = "clipstream.trainer.caption-mix.";

        public Settings {
            Objects.requireNonNull(nameAttribute, "nameAttribute");
            Objects.requireNonNull(keywordsAttribute, "keywordsAttribute");
            templates = List.copyOf(templates);
            share("name-share", nameShare);
            share("keywords-share", keywordsShare);
            share("template-share", templateShare);
            if (!(nameShare + keywordsShare + templateShare > 0)) {
                throw new IllegalArgumentException(PREFIX + "name-share, keywords-share and template-share must not"
                        + " all be 0: the caption is drawn in proportion to them");
            }
            if (templateShare > 0 && templates.isEmpty()) {
                throw new IllegalArgumentException(PREFIX + "templates is empty but template-share is " + templateShare
                        + ": give templates or set template-share=0");
            }
            for (int i = 0; i < templates.size(); i++) {
                if (!templates.get(i).contains(PLACEHOLDER)) {
                    throw new IllegalArgumentException(PREFIX + "templates[" + i + "] \"" + templates.get(i)
                            + "\" has no " + PLACEHOLDER + " for the name");
                }
            }
        }

        /** The defaults: off; when on, name, keywords and templates a third each. */
        public static Settings disabled() {
            return new Settings(false, "label", "keywords", DEFAULT_TEMPLATES, 1, 1, 1);
        }

        /** The defaults, on. */
        public static Settings defaults() {
            return disabled().withEnabled(true);
        }

        public Settings withEnabled(boolean on) {
            return new Settings(on, nameAttribute, keywordsAttribute, templates, nameShare, keywordsShare,
                    templateShare);
        }

        public Settings withShares(double name, double keywords, double template) {
            return new Settings(enabled, nameAttribute, keywordsAttribute, templates, name, keywords, template);
        }

        private static void share(String key, double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(PREFIX + key + " must be a finite number >= 0, was " + value);
            }
        }
    }
}
