package io.clipstream.search.api;

import io.clipstream.http.auth.Roles;
import io.clipstream.search.runtime.SearchMetrics;
import io.clipstream.search.SearchService;
import io.clipstream.search.ServingVersion;
import io.clipstream.search.index.VectorStore;
import io.clipstream.search.stream.EmbeddingIndexer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Text → image ({@code GET /search?text=a red car}) and image → image ({@code POST /search/image}) search over the
 * indexed embeddings, for clients. Every answer names the model version that answered: vectors are only ever
 * compared with vectors of the same version.
 */
@Path("/search")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CLIENT)
public class SearchResource {

    /** One result: the image id, its cosine similarity to the query, and what the embedding carried. */
    public record Result(String imageId, float score, Instant eventTime, Map<String, String> attributes) {
    }

    /** The answer to a query. */
    public record Answer(String modelVersion, int k, double tookMs, List<Result> results) {
    }

    /** What is indexed, by version, and which version answers queries that name none. */
    public record Versions(Optional<String> servingVersion, Optional<String> defaultVersion, long documents,
            List<VectorStore.VersionStats> versions, EmbeddingIndexer.Status indexer) {
    }

    private final SearchService search;
    private final VectorStore index;
    private final ServingVersion serving;
    private final EmbeddingIndexer indexer;
    private final SearchMetrics metrics;

    public SearchResource(SearchService search, VectorStore index, ServingVersion serving, EmbeddingIndexer indexer,
            SearchMetrics metrics) {
        this.search = search;
        this.index = index;
        this.serving = serving;
        this.indexer = indexer;
        this.metrics = metrics;
    }

    /**
     * @param text    what to find (also {@code q})
     * @param k       how many results (default {@code clipstream.search.query.default-k})
     * @param version the model version to search (default: the serving one)
     * @param filters {@code name:value} attribute filters, all of which a result must match
     */
    @GET
    public Answer byText(@QueryParam("text") String text, @QueryParam("q") String q, @QueryParam("k") String k,
            @QueryParam("version") String version, @QueryParam("filter") List<String> filters) throws IOException {
        String query = text != null ? text : q;
        if (query == null) {
            throw new SearchService.BadQueryException("say what to find: GET /search?text=a red car[&k=10][&version=V]"
                    + "[&filter=name:value]");
        }
        SearchService.Result result = search.byText(query, parseK(k), Optional.ofNullable(version),
                parseFilters(filters));
        metrics.query(SearchMetrics.QueryKind.TEXT, result.modelVersion(), result.tookMillis());
        return answer(result);
    }

    @POST
    @Path("/image")
    @Consumes({"image/*", MediaType.APPLICATION_OCTET_STREAM})
    public Answer byImageBody(byte[] body, @QueryParam("k") String k, @QueryParam("version") String version,
            @QueryParam("filter") List<String> filters) throws IOException, InterruptedException {
        return byImage(body, k, version, filters);
    }

    @POST
    @Path("/image")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Answer byImageForm(@RestForm("image") List<FileUpload> parts, @QueryParam("k") String k,
            @QueryParam("version") String version, @QueryParam("filter") List<String> filters)
            throws IOException, InterruptedException {
        if (parts == null || parts.size() != 1) {
            throw new SearchService.BadQueryException("a multipart request needs exactly one file part named \"image\"");
        }
        return byImage(Files.readAllBytes(parts.get(0).uploadedFile()), k, version, filters);
    }

    @GET
    @Path("/versions")
    public Versions versions() throws IOException {
        Optional<String> defaultVersion;
        try {
            defaultVersion = Optional.of(search.answeringVersion(Optional.empty()));
        } catch (SearchService.NoSuchVersionException e) {
            defaultVersion = Optional.empty();
        }
        return new Versions(serving.get(), defaultVersion, index.documents(), List.copyOf(index.versions().values()),
                indexer.status());
    }

    private Answer byImage(byte[] body, String k, String version, List<String> filters)
            throws IOException, InterruptedException {
        SearchService.Result result = search.byImage(body, parseK(k), Optional.ofNullable(version),
                parseFilters(filters));
        metrics.query(SearchMetrics.QueryKind.IMAGE, result.modelVersion(), result.tookMillis());
        return answer(result);
    }

    private static Answer answer(SearchService.Result result) {
        List<Result> results = new ArrayList<>(result.hits().size());
        for (VectorStore.Hit hit : result.hits()) {
            results.add(new Result(hit.imageId(), hit.score(), hit.eventTime(), hit.attributes()));
        }
        return new Answer(result.modelVersion(), result.k(), Math.round(result.tookMillis() * 100) / 100.0, results);
    }

    /** Parsed here, not by the framework, so that {@code k=ten} is answered with a message rather than a bare 404. */
    private static Optional<Integer> parseK(String k) {
        if (k == null || k.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(k.strip()));
        } catch (NumberFormatException e) {
            throw new SearchService.BadQueryException("k must be a whole number, was \"" + k + "\"");
        }
    }

    private static Map<String, String> parseFilters(List<String> filters) {
        Map<String, String> parsed = new TreeMap<>();
        if (filters == null) {
            return parsed;
        }
        for (String filter : filters) {
            int colon = filter.indexOf(':');
            if (colon <= 0) {
                throw new SearchService.BadQueryException("a filter is name:value (an attribute the embedding "
                        + "carries), was \"" + filter + "\"");
            }
            parsed.put(filter.substring(0, colon), filter.substring(colon + 1));
        }
        return parsed;
    }
}
