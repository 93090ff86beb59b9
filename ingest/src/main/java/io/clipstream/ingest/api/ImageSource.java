package io.clipstream.ingest.api;

import java.util.Base64;

/** Reads an uploaded image sent as base64 text (images named by URL: {@link ImageUrls}). */
final class ImageSource {

    private ImageSource() {
    }

    static byte[] base64(String text, String where) {
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new UploadException(where + ": image is not valid base64 (" + e.getMessage() + ")");
        }
    }
}
