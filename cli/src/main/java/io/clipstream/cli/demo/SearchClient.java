package io.clipstream.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The search service over HTTP: how many images a version holds ({@code GET /search/versions}), and text queries. */
final class SearchClient {

    private final JsonHttp http;
    private final String baseUrl;

    SearchClient(JsonHttp http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** Documents indexed under {@code version}; 0 while the version has none. */
    long documents(String version) {
        for (JsonNode stats : http.get(URI.create(baseUrl + ServiceWiring.SEARCH_VERSIONS_PATH)).path("versions")) {
            if (version.equals(stats.path("version").asText())) {
                return stats.path("documents").asLong();
            }
        }
        return 0;
    }

    /** The ids of the {@code k} images nearest to {@code text} under {@code version}, best first. */
    List<String> byText(String text, int k, String version) {
        URI uri = URI.create(baseUrl + ServiceWiring.SEARCH_PATH + "?text=" + encode(text) + "&k=" + k + "&version="
                + encode(version));
        JsonNode answer = http.get(uri);
        if (!version.equals(answer.path("modelVersion").asText())) {
            throw new DemoFailure("GET " + uri + " was answered by version " + answer.path("modelVersion") + ", not "
                    + version);
        }
        List<String> ids = new ArrayList<>();
        answer.path("results").forEach(result -> ids.add(result.path("imageId").asText()));
        return ids;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
