package io.clipstream.classifier.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.clipstream.classifier.ClassifierConfig;
import io.clipstream.classifier.labelset.InvalidLabelSetException;
import io.clipstream.classifier.labelset.LabelSetDraft;
import io.clipstream.classifier.labelset.LabelSetValidator;
import io.clipstream.http.auth.Roles;
import io.clipstream.schemas.LabelSet;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Label-set CRUD. Writes are validated here, so nothing invalid reaches the topic; each PUT bumps the revision and
 * waits (bounded) until the GlobalKTable shows it, so a following GET reads what was written. When the wait runs
 * out the answer is 202: written, not yet visible. Blocking (Kafka acknowledgements, the wait): worker threads.
 */
@Path("/label-sets")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Roles.CLIENT)
public class LabelSetsResource {

    private final LabelSetStore store;
    private final LabelSetPublisher publisher;
    private final LabelSetValidator validator;
    private final ClassifierConfig config;
    private final ObjectReader drafts;
    /** Read revision, write revision + 1: one writer at a time in this instance, so two PUTs do not share a revision. */
    private final ReentrantLock writes = new ReentrantLock();

    public LabelSetsResource(LabelSetStore store, LabelSetPublisher publisher, ClassifierConfig config,
            ObjectMapper json) {
        this.store = store;
        this.publisher = publisher;
        this.config = config;
        this.validator = new LabelSetValidator(config.maxLabels());
        // Unknown fields are refused: a misspelt "topk" must not silently become the default.
        this.drafts = json.readerFor(LabelSetDraft.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @GET
    public List<LabelSetView> list() {
        return store.all().stream().sorted(Comparator.comparing(LabelSet::getId)).map(LabelSetView::of).toList();
    }

    @GET
    @Path("/{id}")
    public LabelSetView get(@PathParam("id") String id) {
        return store.get(id).map(LabelSetView::of).orElseThrow(() -> notFound(id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("id") String id, String body) {
        LabelSetDraft draft = parse(body);
        writes.lock();
        try {
            Optional<LabelSet> current = store.get(id);
            long revision = current.map(set -> set.getRevision() + 1).orElse(1L);
            LabelSet set = validator.validate(id, draft, revision, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            publisher.publish(set);
            boolean visible = store.awaitRevision(id, revision, config.visibilityTimeout());
            Response.ResponseBuilder answer = !visible ? Response.accepted()
                    : current.isEmpty() ? Response.created(URI.create("/label-sets/" + id)) : Response.ok();
            return answer.entity(LabelSetView.of(set)).build();
        } finally {
            writes.unlock();
        }
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    public Response delete(@PathParam("id") String id) {
        writes.lock();
        try {
            LabelSet current = store.get(id).orElseThrow(() -> notFound(id));
            publisher.delete(id);
            boolean gone = store.awaitDeleted(id, current.getRevision(), config.visibilityTimeout());
            return gone ? Response.noContent().build() : Response.accepted().build();
        } finally {
            writes.unlock();
        }
    }

    /** Parsed here rather than by the framework, so that a malformed body gets a message, not an empty 400. */
    private LabelSetDraft parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidLabelSetException(List.of("empty body; send {\"labels\": [\"cat\", \"dog\"]}"));
        }
        try {
            return drafts.readValue(body);
        } catch (JsonProcessingException e) {
            throw new InvalidLabelSetException(List.of("malformed label set JSON: " + e.getOriginalMessage()));
        }
    }

    private static ApiException notFound(String id) {
        return new ApiException(Response.Status.NOT_FOUND, "no label set '" + id + "'");
    }
}
