package io.clipstream.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.http.auth.Roles;
import io.clipstream.ingest.stream.PairPublisher;
import io.clipstream.schemas.ImageTextPair;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Uploads of image–text pairs. Every upload is published to pairs.raw, the same path producers use, and
 * normalised (or rejected) there; the answer is 202 with the pair ids. Clients (and operators) may upload.
 */
@Path("/pairs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CLIENT)
public class PairsResource {

    /** The answer to an accepted upload. */
    public record Accepted(List<String> pairIds) {
    }

    private final PairPublisher publisher;
    private final ObjectMapper json;
    private final ImageUrls imageUrls;

    public PairsResource(PairPublisher publisher, ObjectMapper json, ImageUrls imageUrls) {
        this.publisher = publisher;
        this.json = json;
        this.imageUrls = imageUrls;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response uploadForm(@RestForm("image") FileUpload image, @RestForm("caption") String caption,
            @RestForm("pairId") String pairId, @RestForm("attributes") String attributes) throws IOException {
        if (image == null) {
            throw new UploadException("multipart upload needs a file part named \"image\"");
        }
        if (caption == null) {
            throw new UploadException("multipart upload needs a part named \"caption\"");
        }
        Map<String, String> attrs = attributes == null || attributes.isBlank() ? Map.of() : parseAttributes(attributes);
        byte[] bytes = Files.readAllBytes(image.uploadedFile());
        return accepted(List.of(publisher.encode(pair(pairId, bytes, image.contentType(), caption, attrs,
                "upload:" + image.fileName()), "\"image\" " + image.fileName())));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response uploadJson(String body) {
        return accepted(List.of(publisher.encode(toPair(parse(body, "request"), "request"), "request")));
    }

    @POST
    @Path("/batch")
    @Consumes({"application/x-ndjson", "application/jsonl", "application/json-lines", MediaType.TEXT_PLAIN})
    public Response uploadBatch(String body) {
        List<PairPublisher.EncodedPair> pairs = new ArrayList<>();
        String[] lines = body == null ? new String[0] : body.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String where = "line " + (i + 1);
            pairs.add(publisher.encode(toPair(parse(lines[i], where), where), where));
        }
        if (pairs.isEmpty()) {
            throw new UploadException("the batch holds no pairs: send one JSON object per line");
        }
        return accepted(pairs);
    }

    /** Parsed here rather than by the framework, so that a malformed body gets a message, not an empty 400. */
    private PairUpload parse(String text, String where) {
        if (text == null || text.isBlank()) {
            throw new UploadException(where + ": empty body; send {\"image\": base64, \"caption\": text}");
        }
        try {
            return json.readValue(text, PairUpload.class);
        } catch (JsonProcessingException e) {
            if (e instanceof StreamConstraintsException || e.getCause() instanceof StreamConstraintsException) {
                // Jackson's cap on one string (20 M characters, about 15 MB of base64 image): final for this body.
                throw new PairTooLargeException(where + ": too large for a JSON upload (" + e.getOriginalMessage()
                        + "); send large images as multipart/form-data (a record of pairs.raw holds at most "
                        + PairPublisher.MAX_RECORD_BYTES + " bytes)");
            }
            throw new UploadException(where + ": malformed JSON: " + e.getOriginalMessage());
        }
    }

    private ImageTextPair toPair(PairUpload upload, String where) {
        if (upload == null) {
            throw new UploadException(where + ": empty body; send {\"image\": base64, \"caption\": text}");
        }
        if (upload.caption() == null) {
            throw new UploadException(where + ": \"caption\" is missing");
        }
        boolean hasImage = upload.image() != null;
        boolean hasUrl = upload.imageUrl() != null;
        if (hasImage == hasUrl) {
            throw new UploadException(where + ": send exactly one of \"image\" (base64) and \"imageUrl\"");
        }
        byte[] bytes = hasImage ? ImageSource.base64(upload.image(), where)
                : imageUrls.read(upload.imageUrl(), where);
        return pair(upload.pairId(), bytes, upload.contentType(), upload.caption(),
                upload.attributes() == null ? Map.of() : upload.attributes(), hasUrl ? upload.imageUrl() : "upload");
    }

    private static ImageTextPair pair(String pairId, byte[] image, String contentType, String caption,
            Map<String, String> attributes, String source) {
        return ImageTextPair.newBuilder()
                .setPairId(pairId == null || pairId.isBlank() ? UUID.randomUUID().toString() : pairId)
                .setImage(ByteBuffer.wrap(image))
                .setContentType(contentType)
                .setCaption(caption)
                .setSource(source)
                .setEventTime(Instant.now())
                .setAttributes(attributes)
                .build();
    }

    private Map<String, String> parseAttributes(String text) {
        try {
            return json.readValue(text, json.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        } catch (JsonProcessingException e) {
            throw new UploadException("\"attributes\" must be a JSON object of strings: " + e.getOriginalMessage());
        }
    }

    private Response accepted(List<PairPublisher.EncodedPair> pairs) {
        publisher.publish(pairs);
        return Response.accepted(new Accepted(pairs.stream().map(PairPublisher.EncodedPair::pairId).toList())).build();
    }
}
