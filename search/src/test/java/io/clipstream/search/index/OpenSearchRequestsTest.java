package io.clipstream.search.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opensearch.client.json.JsonpDeserializer;
import org.opensearch.client.json.JsonpSerializable;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.indices.GetMappingResponse;

/**
 * The OpenSearch requests and the reading of OpenSearch's answers, with the real client's objects and its JSON
 * mapper; the answers are OpenSearch's own JSON as a node sends it.
 */
class OpenSearchRequestsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final JacksonJsonpMapper MAPPER = new JacksonJsonpMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What OpenSearch takes as an index name (lowercase, none of \ / * ? " < > | space , # :), at most 255 bytes. */
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9._+-]{0,254}");

    private final OpenSearchRequests requests = new OpenSearchRequests(
            new OpenSearchRequests.Settings("clipstream-embeddings", "lucene", 16, 100, 1, 1, 2));

    private static JsonNode json(JsonpSerializable value) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = MAPPER.jsonProvider().createGenerator(out)) {
            value.serialize(generator, MAPPER);
        }
        return JSON.readTree(out.toString());
    }

    private static <T> T parse(JsonpDeserializer<T> deserializer, String json) {
        try (JsonParser parser = MAPPER.jsonProvider().createParser(new StringReader(json))) {
            return deserializer.deserialize(parser, MAPPER);
        }
    }

    private static VectorStore.Entry entry(String id, String version, int dims, Map<String, String> attributes) {
        float[] vector = new float[dims];
        vector[id.length() % dims] = 1;
        return new VectorStore.Entry(id, version, vector, NOW.minusSeconds(60), attributes);
    }

    @Test
    void eachVersionHasAStrictKnnIndexWhoseMappingNamesTheVersion() throws Exception {
        JsonNode create = json(requests.createIndex("7", 512));
        JsonNode settings = create.path("settings");
        assertTrue(settings.path("knn").asBoolean() || settings.path("index").path("knn").asBoolean(),
                settings.toString());
        JsonNode mappings = create.path("mappings");
        assertEquals("strict", mappings.path("dynamic").asText(), "nothing is mapped on the fly");
        assertEquals("7", mappings.path("_meta").path("model_version").asText());
        JsonNode vector = mappings.path("properties").path("vector");
        assertEquals("knn_vector", vector.path("type").asText());
        assertEquals(512, vector.path("dimension").asInt());
        JsonNode method = vector.path("method");
        assertEquals("hnsw", method.path("name").asText());
        assertEquals("cosinesimil", method.path("space_type").asText());
        assertEquals("lucene", method.path("engine").asText());
        assertEquals(16, method.path("parameters").path("m").asInt());
        assertEquals(100, method.path("parameters").path("ef_construction").asInt());
        JsonNode properties = mappings.path("properties");
        assertEquals("keyword", properties.path("image_id").path("type").asText());
        assertEquals("keyword", properties.path("attribute_filters").path("type").asText());
        assertFalse(properties.path("attributes").path("enabled").asBoolean(true), "attributes are kept, not mapped");
        assertEquals("date", properties.path("indexed_at").path("type").asText());

        JsonNode faiss = json(new OpenSearchRequests(new OpenSearchRequests.Settings("p", "faiss", 32, 200, 3, 2, 10))
                .createIndex("7", 8));
        assertEquals("faiss", faiss.path("mappings").path("properties").path("vector").path("method")
                .path("engine").asText());
        assertEquals(32, faiss.path("mappings").path("properties").path("vector").path("method").path("parameters")
                .path("m").asInt());
    }

    @Test
    void indexNamesAreValidAndDistinctForAnyVersion() {
        assertEquals("clipstream-embeddings-7", requests.indexName("7"));
        assertEquals("clipstream-embeddings-vit-b-32.2", requests.indexName("vit-b-32.2"));
        List<String> versions = List.of("ViT-B/32", "vit-b/32", "a b", "x-1", "_under", "v:1", "é", "9".repeat(300));
        List<String> names = new ArrayList<>();
        for (String version : versions) {
            String name = requests.indexName(version);
            assertTrue(INDEX_NAME.matcher(name).matches(), name);
            assertTrue(name.startsWith("clipstream-embeddings-x-"), name);
            names.add(name);
        }
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
        assertNotEquals(requests.indexName("x-1"), "clipstream-embeddings-x-1",
                "a plain version cannot take the name of a hashed one");
        assertEquals(requests.indexName("ViT-B/32"), requests.indexName("ViT-B/32"), "the same version, the same index");
    }

    @Test
    void settingsThatOpenSearchWouldRefuseAreRefusedFirst() {
        assertThrows(IllegalArgumentException.class,
                () -> new OpenSearchRequests.Settings("Clipstream", "lucene", 16, 100, 1, 1, 10));
        assertThrows(IllegalArgumentException.class,
                () -> new OpenSearchRequests.Settings("-p", "lucene", 16, 100, 1, 1, 10));
        IllegalArgumentException engine = assertThrows(IllegalArgumentException.class,
                () -> new OpenSearchRequests.Settings("p", "nmslib", 16, 100, 1, 1, 10));
        assertTrue(engine.getMessage().contains("lucene or faiss"), engine.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new OpenSearchRequests.Settings("p", "lucene", 16, 100, 1, 1, 0));
    }

    @Test
    void aBatchIsWrittenInBulksOfAtMostTheMaximumEachDocumentKeyedByImageId() throws Exception {
        List<OpenSearchRequests.Pending> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(new OpenSearchRequests.Pending(entry("img-" + i, i < 3 ? "7" : "Big/V", 4,
                    Map.of("color", "red", "odd:name", "x")), NOW));
        }
        List<BulkRequest> bulks = requests.bulk(batch);
        assertEquals(List.of(2, 2, 1), bulks.stream().map(b -> b.operations().size()).toList());
        BulkOperation first = bulks.get(0).operations().get(0);
        assertTrue(first.isIndex(), "index, not create: a re-read replaces its document");
        assertEquals("clipstream-embeddings-7", first.index().index());
        assertEquals("img-0", first.index().id());
        BulkOperation last = bulks.get(2).operations().get(0);
        assertEquals(requests.indexName("Big/V"), last.index().index());
        assertEquals("img-4", last.index().id());

        @SuppressWarnings("unchecked")
        Map<String, Object> document = (Map<String, Object>) first.index().document();
        assertEquals("img-0", document.get("image_id"));
        assertEquals("7", document.get("model_version"));
        assertEquals(NOW.minusSeconds(60).toEpochMilli(), document.get("event_time"));
        assertEquals(NOW.toEpochMilli(), document.get("indexed_at"));
        assertEquals(Map.of("color", "red", "odd:name", "x"), document.get("attributes"));
        assertEquals(List.of("color:red"), document.get("attribute_filters"),
                "a name with a colon can never be asked for (filters split at the first colon)");
        assertArrayEquals(batch.get(0).entry().vector(), (float[]) document.get("vector"));

        // As the client sends it: the vector a JSON array of numbers.
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = MAPPER.jsonProvider().createGenerator(out)) {
            MAPPER.serialize(document, generator);
        }
        JsonNode sent = JSON.readTree(out.toString());
        assertTrue(sent.path("vector").isArray());
        assertEquals(4, sent.path("vector").size());
    }

    @Test
    void onlyItemsRefusedForWhatTheyAreAreTheRecordsFaultTheRestFailTheBatch() {
        List<OpenSearchRequests.Pending> written = List.of(
                new OpenSearchRequests.Pending(entry("ok", "7", 4, Map.of()), NOW),
                new OpenSearchRequests.Pending(entry("wrong-dims", "7", 4, Map.of()), NOW),
                new OpenSearchRequests.Pending(entry("too-busy", "7", 4, Map.of()), NOW),
                new OpenSearchRequests.Pending(entry("blocked", "7", 4, Map.of()), NOW));
        // A bulk answer as OpenSearch 3 writes it.
        BulkResponse response = parse(BulkResponse._DESERIALIZER, """
                {"took": 12, "errors": true, "items": [
                  {"index": {"_index": "clipstream-embeddings-7", "_id": "ok", "_version": 1, "result": "created",
                    "_shards": {"total": 2, "successful": 1, "failed": 0}, "_seq_no": 0, "_primary_term": 1,
                    "status": 201}},
                  {"index": {"_index": "clipstream-embeddings-7", "_id": "wrong-dims", "status": 400,
                    "error": {"type": "mapper_parsing_exception", "reason": "failed to parse field [vector] of type [knn_vector] in document with id 'wrong-dims'",
                      "caused_by": {"type": "illegal_argument_exception", "reason": "Vector dimension mismatch. Expected: 8, Given: 4"}}}},
                  {"index": {"_index": "clipstream-embeddings-7", "_id": "too-busy", "status": 429,
                    "error": {"type": "rejected_execution_exception", "reason": "rejected execution of coordinating operation"}}},
                  {"index": {"_index": "clipstream-embeddings-7", "_id": "blocked", "status": 403,
                    "error": {"type": "cluster_block_exception", "reason": "index [clipstream-embeddings-7] blocked by: [FORBIDDEN/8/index write (api)];"}}}
                ]}
                """);
        List<OpenSearchRequests.ItemFailure> failures = OpenSearchRequests.failures(written, response);
        assertEquals(List.of("wrong-dims", "too-busy", "blocked"),
                failures.stream().map(f -> f.entry().imageId()).toList());
        OpenSearchRequests.ItemFailure refused = failures.get(0);
        assertTrue(refused.recordAtFault());
        assertTrue(refused.reason().contains("mapper_parsing_exception") && refused.reason().contains("Expected: 8"),
                refused.reason());
        assertFalse(failures.get(1).recordAtFault(), "429: the cluster is busy, the batch is read again");
        assertFalse(failures.get(2).recordAtFault(), "a write block is the cluster's, not the record's");
        assertEquals(403, failures.get(2).status());

        BulkResponse clean = parse(BulkResponse._DESERIALIZER, """
                {"took": 3, "errors": false, "items": [
                  {"index": {"_index": "clipstream-embeddings-7", "_id": "ok", "_version": 2, "result": "updated",
                    "_shards": {"total": 2, "successful": 1, "failed": 0}, "_seq_no": 1, "_primary_term": 1,
                    "status": 200}}]}
                """);
        assertTrue(OpenSearchRequests.failures(written.subList(0, 1), clean).isEmpty());
        assertThrows(IllegalStateException.class, () -> OpenSearchRequests.failures(written, clean),
                "an answer that does not match the request is not taken as written");
    }

    @Test
    void theKnnQuerySearchesOneVersionsIndexWithTheCandidatesAndFilters() throws Exception {
        JsonNode search = json(requests.knn("7", new float[] {0.6f, 0.8f}, 5, 100, Map.of("color", "red",
                "size", "xl")));
        JsonNode knn = search.path("query").path("knn").path("vector");
        assertEquals(5, search.path("size").asInt(), "k results");
        assertEquals(100, knn.path("k").asInt(), "the graph walked with the candidates (ef)");
        assertEquals(0.6, knn.path("vector").get(0).asDouble(), 1e-6);
        assertEquals(0.8, knn.path("vector").get(1).asDouble(), 1e-6);
        List<String> terms = new ArrayList<>();
        knn.path("filter").path("bool").path("filter")
                .forEach(f -> terms.add(f.path("term").path("attribute_filters").path("value").asText()));
        assertEquals(List.of("color:red", "size:xl"), terms.stream().sorted().toList());
        List<String> included = new ArrayList<>();
        search.path("_source").path("includes").forEach(i -> included.add(i.asText()));
        assertFalse(included.contains("vector"), "the vectors do not travel back");
        assertTrue(included.contains("image_id"), included.toString());

        JsonNode plain = json(requests.knn("7", new float[] {1, 0}, 10, 3, Map.of()));
        assertEquals(10, plain.path("query").path("knn").path("vector").path("k").asInt(), "never fewer than k");
        assertTrue(plain.path("query").path("knn").path("vector").path("filter").isMissingNode());
    }

    @Test
    void hitsCarryTheCosineAndMappingsTellTheirVersionAndDimensions() {
        SearchResponse<OpenSearchRequests.StoredDocument> response = parse(
                SearchResponse.createSearchResponseDeserializer(
                        JsonpDeserializer.of(OpenSearchRequests.StoredDocument.class)), """
                {"took": 4, "timed_out": false, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                 "hits": {"total": {"value": 2, "relation": "eq"}, "max_score": 0.9, "hits": [
                   {"_index": "clipstream-embeddings-7", "_id": "cat-1", "_score": 0.9,
                    "_source": {"image_id": "cat-1", "event_time": 1764583200000, "attributes": {"color": "red"}}},
                   {"_index": "clipstream-embeddings-7", "_id": "dog-1", "_score": 0.25,
                    "_source": {"image_id": "dog-1", "attributes": {}}}]}}
                """);
        List<VectorStore.Hit> hits = response.hits().hits().stream().map(OpenSearchRequests::hit).toList();
        assertEquals("cat-1", hits.get(0).imageId());
        assertEquals(0.8f, hits.get(0).score(), 1e-6, "(1 + cos) / 2 = 0.9 is a cosine of 0.8");
        assertEquals(Instant.ofEpochMilli(1764583200000L), hits.get(0).eventTime());
        assertEquals(Map.of("color", "red"), hits.get(0).attributes());
        assertEquals(-0.5f, hits.get(1).score(), 1e-6);
        assertNull(hits.get(1).eventTime());

        GetMappingResponse mappings = parse(GetMappingResponse._DESERIALIZER, """
                {"clipstream-embeddings-7": {"mappings": {"dynamic": "strict", "_meta": {"model_version": "7"},
                   "properties": {"vector": {"type": "knn_vector", "dimension": 512,
                     "method": {"engine": "lucene", "space_type": "cosinesimil", "name": "hnsw",
                                "parameters": {"ef_construction": 100, "m": 16}}},
                     "image_id": {"type": "keyword"}}}},
                 "clipstream-embeddings-notes": {"mappings": {"properties": {"text": {"type": "text"}}}}}
                """);
        var ours = mappings.result().get("clipstream-embeddings-7").mappings();
        assertEquals("7", OpenSearchRequests.versionOf(ours).orElseThrow());
        assertEquals(512, OpenSearchRequests.dimensionsOf(ours).orElseThrow());
        var other = mappings.result().get("clipstream-embeddings-notes").mappings();
        assertTrue(OpenSearchRequests.versionOf(other).isEmpty(), "an index of the pattern that is not ours");
        assertTrue(OpenSearchRequests.dimensionsOf(other).isEmpty());
    }
}
