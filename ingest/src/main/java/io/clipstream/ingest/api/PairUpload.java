package io.clipstream.ingest.api;

import java.util.Map;

/**
 * One pair in a JSON upload: the image as base64 ({@code image}) or, when enabled, a {@code file:} or
 * {@code http(s):} URL ({@code imageUrl}); a caption; optional id and attributes.
 */
public record PairUpload(String pairId, String image, String imageUrl, String contentType, String caption,
        Map<String, String> attributes) {
}
