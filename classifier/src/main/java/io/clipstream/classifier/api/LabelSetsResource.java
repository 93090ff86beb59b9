package io.clipstream.classifier.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.clipstream.classifier.ClassifierConfig;
import io.clipstream.classifier.labelset.InvalidLabelSetException;
import io.clipstream.classifier.labelset.LabelSetDraft;
import io.clipstream.classifier.labelset.LabelSetLimits;
import io.clipstream.classifier.labelset.LabelSetValidator;
import io.clipstream.classifier.stream.LabelSetPublisher;
import io.clipstream.classifier.stream.LabelSetStore;
import io.clipstream.http.auth.Roles;
import io.clipstream.schemas.LabelSet;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
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
 * waits (bounded) until the label-set store shows it, so a following GET reads what was written. When the wait runs
 * out the answer is 202: written, not yet visible. Blocking (Kafka acknowledgements, the wait): worker threads.
 *
 * <p>Conditional writes: a GET answers the revision as its {@code ETag}; a PUT or DELETE with {@code If-Match} is
 * done only if the set is still at that revision, else 412. Across replicas two writers may both see the same
 * revision and write the next one: the store keeps the first of them in the topic's order
 * ({@code FirstWriteOfARevisionWins}), and the other writer, finding another set at its revision, answers 412 to a
 * conditional PUT and writes an unconditional one again at the next revision. PUT without {@code If-Match} stays
 * unconditional (the CLI and older clients).
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
    /** An unconditional PUT that loses its revision to another replica's write is tried this many times in all. */
    private static final int UNCONDITIONAL_ATTEMPTS = 3;
    private final LabelSetLimits limits;

    public LabelSetsResource(LabelSetStore store, LabelSetPublisher publisher, ClassifierConfig config,
            ObjectMapper json) {
        this.store = store;
        this.publisher = publisher;
        this.config = config;
        this.limits = ClassifierConfig.labelSetLimits(config);
        this.validator = new LabelSetValidator(limits);
        // Unknown fields are refused: a misspelt "topk" must not silently become the default.
        this.drafts = json.readerFor(LabelSetDraft.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @GET
    public List<LabelSetView> list() {
        return store.all().stream().sorted(Comparator.comparing(LabelSet::getId)).map(LabelSetView::of).toList();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        LabelSet set = store.get(id).orElseThrow(() -> notFound(id));
        return Response.ok(LabelSetView.of(set)).tag(etag(set.getRevision())).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, String body) {
        Precondition precondition = Precondition.parse(ifMatch);
        LabelSetDraft draft = parse(body);
        writes.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                Optional<LabelSet> current = store.get(id);
                precondition.check(id, current);
                if (current.isEmpty() && store.all().size() >= limits.maxLabelSets()) {
                    throw new InvalidLabelSetException(List.of("there are " + limits.maxLabelSets()
                            + " label sets already, the most this classifier takes (clipstream.classifier.max-label-sets)"
                            + "; delete one first"));
                }
                long revision = current.map(set -> set.getRevision() + 1).orElse(1L);
                LabelSet set = validator.validate(id, draft, revision, Instant.now().truncatedTo(ChronoUnit.MILLIS));
                publisher.publish(set);
                boolean visible = store.awaitRevision(id, revision, config.visibilityTimeout());
                if (!visible) {
                    return Response.accepted().entity(LabelSetView.of(set)).tag(etag(revision)).build();
                }
                Optional<LabelSet> stored = store.get(id);
                if (stored.isPresent() && stored.get().getRevision() == revision && !stored.get().equals(set)) {
                    // Another replica wrote this revision first: ours is ignored by every store. Written again so
                    // that compaction, which keeps a key's last record, keeps what the stores hold.
                    publisher.publish(stored.get());
                    if (precondition.conditional()) {
                        throw new ApiException(Response.Status.PRECONDITION_FAILED, "label set '" + id
                                + "' was changed by another update at the same time (revision " + revision
                                + " is not this one); GET it and try again");
                    }
                    if (attempt < UNCONDITIONAL_ATTEMPTS) {
                        continue;
                    }
                    throw new ApiException(Response.Status.CONFLICT, "label set '" + id + "' is being changed by "
                            + "other updates at the same time; try again");
                }
                Response.ResponseBuilder answer = current.isEmpty()
                        ? Response.created(URI.create("/label-sets/" + id)) : Response.ok();
                return answer.entity(LabelSetView.of(set)).tag(etag(revision)).build();
            }
        } finally {
            writes.unlock();
        }
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    public Response delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Precondition precondition = Precondition.parse(ifMatch);
        writes.lock();
        try {
            Optional<LabelSet> found = store.get(id);
            if (found.isEmpty()) {
                // Nothing to delete: 404 as before, unless a precondition asked for a set that is not there.
                precondition.check(id, found);
                throw notFound(id);
            }
            precondition.check(id, found);
            LabelSet current = found.get();
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

    private static EntityTag etag(long revision) {
        return new EntityTag(Long.toString(revision));
    }

    /** What {@code If-Match} asks for: nothing, any existing set ({@code *}), or one revision (an ETag of a GET). */
    private record Precondition(boolean conditional, Long revision) {

        static Precondition parse(String ifMatch) {
            if (ifMatch == null || ifMatch.isBlank()) {
                return new Precondition(false, null);
            }
            String tag = ifMatch.strip();
            if (tag.equals("*")) {
                return new Precondition(true, null);
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
            }
            try {
                return new Precondition(true, Long.parseLong(tag));
            } catch (NumberFormatException e) {
                throw new ApiException(Response.Status.BAD_REQUEST, "If-Match must be the ETag of a GET (a revision "
                        + "such as \"3\") or *, was '" + ifMatch + "'");
            }
        }

        void check(String id, Optional<LabelSet> current) {
            if (!conditional) {
                return;
            }
            if (current.isEmpty()) {
                throw new ApiException(Response.Status.PRECONDITION_FAILED, "no label set '" + id + "' (If-Match "
                        + (revision == null ? "*" : "\"" + revision + "\"") + ")");
            }
            if (revision != null && current.get().getRevision() != revision) {
                throw new ApiException(Response.Status.PRECONDITION_FAILED, "label set '" + id + "' is at revision "
                        + current.get().getRevision() + ", not " + revision + " (If-Match); GET it and try again");
            }
        }
    }

    private static ApiException notFound(String id) {
        return new ApiException(Response.Status.NOT_FOUND, "no label set '" + id + "'");
    }
}
