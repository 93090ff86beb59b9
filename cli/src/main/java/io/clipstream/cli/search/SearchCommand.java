package io.clipstream.cli.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.cli.ServiceErrors;
import io.clipstream.cli.local.Installation;
import io.clipstream.cli.local.OperatorToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clipstream search "a red car" [-k 10]}: text → image (or, with {@code --image}, image → image) search through
 * the search service's HTTP API; prints the images found, best first, and the model version that answered.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Find indexed images by text (or by an image, --image), through the search service.")
public final class SearchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "What to find, e.g. \"a red car\".")
    String text;

    @Option(names = "--image", paramLabel = "FILE", description = "Find images like this one instead of a text.")
    Path image;

    @Option(names = "-k", paramLabel = "K", description = "How many images (default: the service's, 10).")
    Integer k;

    @Option(names = "--version", paramLabel = "VERSION",
            description = "The model version to search (default: the rolled-out one).")
    String version;

    @Option(names = {"-f", "--filter"}, paramLabel = "NAME=VALUE",
            description = "Only images whose attribute NAME is VALUE (repeatable; all must hold).")
    Map<String, String> filters;

    @Option(names = "--json", description = "Print the service's answer as it came (JSON).")
    boolean json;

    @Option(names = "--url", defaultValue = "${env:CLIPSTREAM_SEARCH_URL:-http://127.0.0.1:8086}",
            description = "The search service's base URL (default: $CLIPSTREAM_SEARCH_URL or ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token, a client's or an operator's "
            + "(default: $" + OperatorToken.COMMAND_ENV + ", else the running local run's operator.token).")
    String token;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((text == null) == (image == null)) {
            err.println("error: give a TEXT to find, or --image FILE (one of them)");
            err.flush();
            return 2;
        }
        URI base = URI.create(url.endsWith("/") ? url : url + "/");
        StringBuilder query = new StringBuilder();
        if (text != null) {
            param(query, "text", text);
        }
        if (k != null) {
            param(query, "k", Integer.toString(k));
        }
        if (version != null) {
            param(query, "version", version);
        }
        if (filters != null) {
            filters.forEach((name, value) -> param(query, "filter", name + ":" + value));
        }
        HttpRequest.Builder request;
        if (text != null) {
            request = HttpRequest.newBuilder(base.resolve("search?" + query)).GET();
        } else {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(image);
            } catch (NoSuchFileException e) {
                err.println("error: no such file: " + image);
                err.flush();
                return 1;
            }
            request = HttpRequest.newBuilder(base.resolve("search/image" + (query.isEmpty() ? "" : "?" + query)))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        Optional<String> bearer = OperatorToken.forCommand(token, System.getenv(), Installation.locate(null));
        request.timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        bearer.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            err.println("error: cannot reach the search service at " + base + " (is it running? --url sets where)");
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (response.statusCode() != 200) {
            String hint = response.statusCode() == 401 && bearer.isEmpty()
                    ? " (no token was sent: " + OperatorToken.SOURCES + ")" : "";
            err.println("error: search: HTTP " + response.statusCode() + ": " + ServiceErrors.message(response.body()) + hint);
            err.flush();
            return 1;
        }
        if (json) {
            out.println(response.body());
        } else {
            print(JSON.readTree(response.body()), out);
        }
        out.flush();
        return 0;
    }

    private static void print(JsonNode answer, PrintWriter out) {
        JsonNode results = answer.path("results");
        out.printf(Locale.ROOT, "%d image(s), model version %s, %.1f ms%n", results.size(),
                answer.path("modelVersion").asText(), answer.path("tookMs").asDouble());
        int rank = 1;
        for (JsonNode result : results) {
            List<String> attributes = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = result.path("attributes").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> attribute = it.next();
                attributes.add(attribute.getKey() + "=" + attribute.getValue().asText());
            }
            out.printf(Locale.ROOT, "%3d  %.4f  %s%s%n", rank++, result.path("score").asDouble(),
                    result.path("imageId").asText(), attributes.isEmpty() ? "" : "  " + String.join(" ", attributes));
        }
    }

    private static void param(StringBuilder query, String name, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
