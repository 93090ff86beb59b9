package io.clipstream.classifier.api;

import io.clipstream.classifier.ClassifierConfig;
import io.clipstream.classifier.ModelConfig;
import io.clipstream.classifier.labelset.LabelDraft;
import io.clipstream.classifier.labelset.LabelSetDraft;
import io.clipstream.classifier.labelset.LabelSetLimits;
import io.clipstream.classifier.labelset.LabelSetValidator;
import io.clipstream.classifier.scoring.ImageClassifier;
import io.clipstream.classifier.scoring.LabelEmbeddingCache;
import io.clipstream.classifier.stream.LabelSetStore;
import io.clipstream.http.ErrorAnswers;
import io.clipstream.http.auth.Roles;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.model.image.DecodeBudgetExhaustedException;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.model.serve.ModelVersionUnavailableException;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.schemas.LabelSet;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * One uploaded image classified on request (the console's "Try it", or an application that wants an answer now
 * rather than a subscription): the image as the body ({@code image/*} or octet-stream) with the labels in the query,
 * or a multipart form with an {@code image} file part and the same fields. The labels are a stored label set
 * ({@code labelSet=ID}) or typed ({@code labels=cat,dog}, optional {@code template}s); the model version is the
 * rolled-out one unless {@code version} names another servable one, and the answer says which answered.
 * Blocking (the model): worker threads.
 */
@Path("/classify")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.CLIENT)
public class ClassifyResource {

    /** The id a set of typed labels is validated under; it names no stored set. */
    static final String TYPED = "typed";

    /**
     * The answer.
     *
     * @param modelVersion     the version that answered
     * @param rolledOut        whether it is the rolled-out one (false when {@code version} named another)
     * @param labelSetId       the stored set, or null for typed labels
     * @param labelSetRevision its revision, or null
     */
    public record Answer(String modelVersion, boolean rolledOut, String labelSetId, Long labelSetRevision,
            List<ImageClassifier.ScoredLabel> labels, int width, int height, long decodeMillis, long modelMillis) {
    }

    private final ImageClassifier classifier;
    private final LabelSetStore store;
    private final LabelSetValidator typedValidator;
    private final CheckpointSource rollout;
    private final ClassifierConfig config;

    public ClassifyResource(ModelVersions versions, LabelEmbeddingCache cache, LabelSetStore store,
            ClassifierConfig config, ModelConfig model) {
        this.classifier = new ImageClassifier(versions, cache, new DecodeBudget(config.classify().decodeBudget()),
                config.classify().decodeWait());
        this.store = store;
        this.config = config;
        LabelSetLimits limits = ClassifierConfig.labelSetLimits(config);
        int maxTyped = Math.min(limits.maxLabels(), config.classify().maxLabels());
        this.typedValidator = new LabelSetValidator(new LabelSetLimits(maxTyped, limits.maxTemplates(),
                Math.min(limits.maxPrompts(), maxTyped * 4), limits.maxLabelSets()));
        this.rollout = new CheckpointSource(model.checkpoint(), model.checkpointFile(), model.checkpointSha256());
    }

    @POST
    @Consumes({"image/*", MediaType.APPLICATION_OCTET_STREAM})
    public Answer body(byte[] image, @RestQuery String labelSet, @RestQuery String labels,
            @RestQuery List<String> template, @RestQuery String topK, @RestQuery String version)
            throws InterruptedException {
        return classify(image, labelSet, labels, template, topK, version);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Answer form(@RestForm("image") FileUpload image, @RestForm String labelSet, @RestForm String labels,
            @RestForm List<String> template, @RestForm String topK, @RestForm String version)
            throws IOException, InterruptedException {
        if (image == null) {
            throw new ApiException(Response.Status.BAD_REQUEST, "a multipart request needs a file part named \"image\"");
        }
        return classify(Files.readAllBytes(image.uploadedFile()), labelSet, labels, template, topK, version);
    }

    private Answer classify(byte[] image, String labelSetId, String typed, List<String> templates, String topKText,
            String version) throws InterruptedException {
        if (image == null || image.length == 0) {
            throw new ApiException(Response.Status.BAD_REQUEST, "no image: send the encoded image as the body "
                    + "(Content-Type image/png, image/jpeg, ...) or as the multipart part \"image\"");
        }
        Integer topK = topK(topKText);
        boolean stored = !blank(labelSetId);
        if (stored == !blank(typed)) {
            throw new ApiException(Response.Status.BAD_REQUEST, "name a label set (labelSet=ID) or type labels "
                    + "(labels=cat,dog), one of the two");
        }
        LabelSet set = stored ? storedSet(labelSetId.strip()) : typedSet(typed, templates, topK);
        if (stored && set.getLabels().isEmpty()) {
            throw new ApiException(Response.Status.BAD_REQUEST, "label set '" + set.getId() + "' has no labels");
        }
        Optional<String> rolledOut = rolledOutVersion();
        String asked = blank(version) ? rolledOut.orElseThrow(() -> new ApiException(Response.Status.SERVICE_UNAVAILABLE,
                "no model version is rolled out, so none answers; " + rollout.howToConfigure()
                        + ", or name one with version=")) : version.strip();
        int k = topK != null ? topK : set.getTopK();
        ImageClassifier.Result result;
        try {
            result = classifier.classify(image, set, stored, asked, k);
        } catch (InvalidImageException e) {
            throw new ApiException(Response.Status.BAD_REQUEST, "the image cannot be classified: " + e.reason() + ": "
                    + e.getMessage());
        } catch (ModelVersionUnavailableException e) {
            throw new ApiException(blank(version) ? Response.Status.SERVICE_UNAVAILABLE : Response.Status.BAD_REQUEST,
                    e.getMessage());
        }
        return new Answer(result.modelVersion(), rolledOut.map(result.modelVersion()::equals).orElse(false),
                stored ? set.getId() : null, stored ? set.getRevision() : null, result.labels(), result.width(),
                result.height(), result.decodeMillis(), result.modelMillis());
    }

    /** Too many large uploads decoding at once: not the image's fault, so 503 and when to retry. */
    @ServerExceptionMapper
    public Response decodeBudgetExhausted(DecodeBudgetExhaustedException e) {
        return Response.fromResponse(ErrorAnswers.error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()))
                .header(HttpHeaders.RETRY_AFTER, 1).build();
    }

    private LabelSet storedSet(String id) {
        return store.get(id).orElseThrow(() -> new ApiException(Response.Status.NOT_FOUND, "no label set '" + id + "'"));
    }

    private LabelSet typedSet(String typed, List<String> templates, Integer topK) {
        List<LabelDraft> labels = Arrays.stream(typed.split("[,\\n]")).map(String::strip).filter(s -> !s.isEmpty())
                .map(LabelDraft::named).toList();
        List<String> given = templates == null ? List.of()
                : templates.stream().filter(t -> !blank(t)).map(String::strip).toList();
        LabelSetDraft draft = new LabelSetDraft(null, labels, given.isEmpty() ? null : given,
                topK == null ? Math.min(LabelSetValidator.DEFAULT_TOP_K, Math.max(1, labels.size())) : topK, null, null,
                null);
        // Typed labels answer once and are let go: capped by clipstream.classifier.classify.max-labels.
        return typedValidator.validate(TYPED, draft, 0, Instant.now());
    }

    private Optional<String> rolledOutVersion() {
        try {
            return rollout.requested().map(CheckpointSource.Requested::reference);
        } catch (IOException e) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, "cannot read the rollout file: " + e.getMessage(), e);
        }
    }

    private Integer topK(String text) {
        if (blank(text)) {
            return null;
        }
        int max = config.maxLabels();
        try {
            int k = Integer.parseInt(text.strip());
            if (k >= 1 && k <= max) {
                return k;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(Response.Status.BAD_REQUEST, "topK must be a whole number from 1 to " + max
                + ", was '" + text + "'");
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
