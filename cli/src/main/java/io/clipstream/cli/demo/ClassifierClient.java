package io.clipstream.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.cli.classify.ClassifierApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The demo's label sets, through the CLI's one client of the classifier's label-set API ({@link ClassifierApi}). */
final class ClassifierClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClassifierApi api;

    /** @param http the run's calls: their bearer token is sent with these too */
    ClassifierClient(JsonHttp http, String baseUrl) {
        this.api = new ClassifierApi(baseUrl, Optional.of(http.token()));
    }

    /** Creates or replaces a label set: images are then ranked among {@code labels}, {@code topK} reported. */
    void putLabelSet(String id, List<String> labels, List<String> templates, int topK) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("labels", labels);
        body.put("templates", templates);
        body.put("topK", topK);
        try {
            api.put(id, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write the label set " + id + " as JSON: " + e.getMessage(), e);
        } catch (ClassifierApi.ApiFailure e) {
            throw new DemoFailure("Label set " + id + ": " + e.getMessage());
        }
    }
}
