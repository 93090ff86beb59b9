package io.clipstream.ingest.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/** Reads an uploaded image: base64 text, or a {@code file:}/{@code http(s):} URL when URLs are allowed. */
final class ImageSource {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private ImageSource() {
    }

    static byte[] base64(String text, String where) {
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new UploadException(where + ": image is not valid base64 (" + e.getMessage() + ")");
        }
    }

    static byte[] url(String url, boolean allowed, long maxBytes, String where) {
        if (!allowed) {
            throw new UploadException(where + ": image URLs are disabled on this service "
                    + "(set clipstream.ingest.allow-image-urls=true to enable); send the image as base64 in \"image\"");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UploadException(where + ": imageUrl is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        try {
            return switch (scheme) {
                case "file" -> readCapped(Files.newInputStream(Path.of(uri)), maxBytes, where);
                case "http", "https" -> {
                    HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() != 200) {
                        response.body().close();
                        throw new UploadException(where + ": " + url + " answered HTTP " + response.statusCode());
                    }
                    yield readCapped(response.body(), maxBytes, where);
                }
                default -> throw new UploadException(where + ": imageUrl must be file:, http: or https:, not " + url);
            };
        } catch (IOException e) {
            throw new UploadException(where + ": cannot read " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadException(where + ": interrupted while reading " + url);
        }
    }

    private static byte[] readCapped(InputStream in, long maxBytes, String where) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new UploadException(where + ": image is larger than " + maxBytes + " bytes");
            }
            return bytes;
        }
    }
}
