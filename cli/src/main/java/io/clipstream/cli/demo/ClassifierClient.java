package io.clipstream.cli.demo;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The classifier's label-set API ({@code PUT /label-sets/{id}}). */
final class ClassifierClient {

    private final JsonHttp http;
    private final String baseUrl;

    ClassifierClient(JsonHttp http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** Creates or replaces a label set: images are then ranked among {@code labels}, {@code topK} reported. */
    void putLabelSet(String id, List<String> labels, List<String> templates, int topK) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("labels", labels);
        body.put("templates", templates);
        body.put("topK", topK);
        http.put(URI.create(baseUrl + ServiceWiring.LABEL_SETS_PATH
                + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")), body);
    }
}
