package io.clipstream.embedder.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.embedder.ActiveModel;
import io.clipstream.embedder.CheckpointWatcher;
import io.clipstream.embedder.EmbedderConfig;
import io.clipstream.embedder.runtime.EmbedderMetrics;
import io.clipstream.embedder.Embeddings;
import io.clipstream.embedder.MemoryConfig;
import io.clipstream.embedder.NoModelException;
import io.clipstream.embedder.PreparedImage;
import io.clipstream.http.ErrorAnswers;
import io.clipstream.http.auth.Roles;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.model.image.DecodeBudgetExhaustedException;
import io.clipstream.model.image.InvalidImageException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Embeddings on request, for search applications: images (multipart {@code image} parts, or the image as the body)
 * and texts (a JSON list of strings). Answers carry the model version, so that vectors are only compared with
 * vectors of the same version. The model calls share the inference thread with the stream, taking turns with its
 * batches ({@link ActiveModel.Lane#HTTP}). Decoding takes its share of the decode budget the stream also uses; an
 * image that cannot get it within {@code clipstream.embedder.memory.decode-wait} is answered 503 with Retry-After.
 */
@Path("/embed")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CLIENT)
public class EmbedResource {

    /** Embeddings of the images in request order. */
    public record ImageEmbeddings(String modelVersion, int dimensions, List<ImageVector> embeddings) {
    }

    /** @param name the part's file name, or {@code image <n>} */
    public record ImageVector(String name, float[] vector) {
    }

    /** Embeddings of the texts in request order. */
    public record TextEmbeddings(String modelVersion, int dimensions, List<TextVector> embeddings) {
    }

    public record TextVector(String text, float[] vector) {
    }

    private record NamedImage(String name, byte[] bytes) {
    }

    private final ActiveModel model;
    private final CheckpointWatcher watcher;
    private final EmbedderConfig config;
    private final EmbedderMetrics metrics;
    private final ObjectMapper json;
    private final DecodeBudget decodeBudget;
    private final MemoryConfig memory;

    public EmbedResource(ActiveModel model, CheckpointWatcher watcher, EmbedderConfig config, EmbedderMetrics metrics,
            ObjectMapper json, DecodeBudget decodeBudget, MemoryConfig memory) {
        this.model = model;
        this.watcher = watcher;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.decodeBudget = decodeBudget;
        this.memory = memory;
    }

    @POST
    @Path("/images")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public ImageEmbeddings imagesForm(@RestForm("image") List<FileUpload> parts)
            throws IOException, InterruptedException {
        if (parts == null || parts.isEmpty()) {
            throw new EmbedRequestException("a multipart request needs one or more file parts named \"image\"");
        }
        checkCount(parts.size(), config.http().maxImages(), "images");
        List<NamedImage> images = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            FileUpload part = parts.get(i);
            String name = part.fileName() == null || part.fileName().isBlank() ? "image " + (i + 1) : part.fileName();
            images.add(new NamedImage(name, Files.readAllBytes(part.uploadedFile())));
        }
        return embedImages(images);
    }

    @POST
    @Path("/images")
    @Consumes({"image/*", MediaType.APPLICATION_OCTET_STREAM})
    public ImageEmbeddings imageBody(byte[] body) throws InterruptedException {
        if (body == null || body.length == 0) {
            throw new EmbedRequestException("the request body is empty: send the encoded image");
        }
        return embedImages(List.of(new NamedImage("image 1", body)));
    }

    @POST
    @Path("/texts")
    @Consumes(MediaType.APPLICATION_JSON)
    public TextEmbeddings texts(String body) throws InterruptedException {
        List<String> texts = parseTexts(body);
        requireModel();
        Embeddings embeddings = model.call(ActiveModel.Lane.HTTP, served -> Embeddings.ofTexts(served, texts));
        metrics.httpCall(embeddings.modelTime());
        List<TextVector> vectors = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            vectors.add(new TextVector(texts.get(i), embeddings.vectors()[i]));
        }
        return new TextEmbeddings(embeddings.modelVersion(), embeddings.dimensions(), vectors);
    }

    private ImageEmbeddings embedImages(List<NamedImage> images) throws InterruptedException {
        ClipImageTransform transform = requireModel();
        List<PreparedImage> prepared = new ArrayList<>(images.size());
        for (NamedImage image : images) {
            try {
                prepared.add(PreparedImage.of(image.bytes(), transform, decodeBudget, memory.decodeWait()));
            } catch (InvalidImageException e) {
                throw new EmbedRequestException(image.name() + ": " + e.reason() + ": " + e.getMessage());
            }
        }
        Embeddings embeddings = model.call(ActiveModel.Lane.HTTP, served -> Embeddings.ofImages(served, prepared));
        metrics.httpCall(embeddings.modelTime());
        metrics.embedded(EmbedderMetrics.Source.HTTP, images.size());
        List<ImageVector> vectors = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            vectors.add(new ImageVector(images.get(i).name(), embeddings.vectors()[i]));
        }
        return new ImageEmbeddings(embeddings.modelVersion(), embeddings.dimensions(), vectors);
    }

    /**
     * Too many large images decoding at once: not the image's fault, so 503 and when to retry. Beside the resource
     * (not in {@link ErrorMappers}) because only image embeds wait for decode budget.
     */
    @ServerExceptionMapper
    public Response decodeBudgetExhausted(DecodeBudgetExhaustedException e) {
        return Response.fromResponse(ErrorAnswers.error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()))
                .header(HttpHeaders.RETRY_AFTER, Math.max(1, memory.retryAfter().toSeconds())).build();
    }

    /** The active model's transform, or 503 saying why there is no model. */
    private ClipImageTransform requireModel() {
        return model.transform().orElseThrow(() -> new NoModelException(watcher.status().summary()));
    }

    /** Parsed here rather than by the framework, so that a malformed body gets a message, not an empty 400. */
    private List<String> parseTexts(String body) {
        if (body == null || body.isBlank()) {
            throw new EmbedRequestException("empty body: send a JSON list of strings, e.g. [\"a photo of a cat\"]");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new EmbedRequestException("malformed JSON: " + e.getOriginalMessage());
        }
        if (!node.isArray()) {
            throw new EmbedRequestException("send a JSON list of strings, not a JSON " + node.getNodeType()
                    .name().toLowerCase(Locale.ROOT));
        }
        if (node.isEmpty()) {
            throw new EmbedRequestException("the list of texts is empty");
        }
        checkCount(node.size(), config.http().maxTexts(), "texts");
        List<String> texts = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw new EmbedRequestException("item " + (i + 1) + " is not a string but " + item);
            }
            if (item.asText().length() > config.http().maxTextLength()) {
                throw new EmbedRequestException("item " + (i + 1) + " has " + item.asText().length()
                        + " characters, more than the " + config.http().maxTextLength() + " accepted");
            }
            texts.add(item.asText());
        }
        return texts;
    }

    private static void checkCount(int count, int max, String what) {
        if (count > max) {
            throw new EmbedRequestException(count + " " + what + " in one request, more than the " + max
                    + " accepted; split the request");
        }
    }
}
