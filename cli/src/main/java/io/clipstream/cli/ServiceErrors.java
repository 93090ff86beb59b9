package io.clipstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** What a service's error answer says: every service answers {@code {"error": "..."}}; anything else is shown as it came. */
public final class ServiceErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceErrors() {
    }

    /** The {@code error} of a JSON body, else the body itself, else "(no message)". */
    public static String message(String body) {
        try {
            JsonNode error = JSON.readTree(body).get("error");
            if (error != null) {
                return error.asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: show it as it is
        }
        return body == null || body.isBlank() ? "(no message)" : body;
    }
}
