package io.clipstream.cli.classify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clipstream.cli.UserErrors;
import io.clipstream.cli.local.Installation;
import io.clipstream.cli.local.OperatorToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clipstream label-sets put|list|get|delete}: zero-shot label sets, through the classifier's HTTP API. */
@Command(name = "label-sets", description = "Zero-shot label sets of the classifier (through its HTTP API, so its validation applies).",
        subcommands = {LabelSetsCommand.Put.class, LabelSetsCommand.ListAll.class, LabelSetsCommand.Get.class,
            LabelSetsCommand.Delete.class})
public final class LabelSetsCommand {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Runs one request; an error is printed with the service's message and exits 1. */
    abstract static class ApiCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ServiceOptions service;

        abstract void run(ClassifierApi api, PrintWriter out) throws ClassifierApi.ApiFailure, IOException;

        @Override
        public Integer call() throws IOException {
            try {
                run(new ClassifierApi(service.url, OperatorToken.forCommand(service.token, System.getenv(),
                        Installation.locate(null))), spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
                return 0;
            } catch (ClassifierApi.ApiFailure e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }
    }

    /** {@code --url} and {@code --token}, shared by the subcommands. */
    static final class ServiceOptions {
        @Option(names = "--url", defaultValue = "${env:CLIPSTREAM_CLASSIFIER_URL:-http://127.0.0.1:8084}",
                description = "The classifier's base URL (default: $CLIPSTREAM_CLASSIFIER_URL or ${DEFAULT-VALUE}).")
        String url;

        @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token: an operator's to put or "
                + "delete (default: $" + OperatorToken.COMMAND_ENV + ", else the running local run's operator.token).")
        String token;
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Create or replace a label set, from a JSON file or from options; prints it with its new revision.")
    static final class Put extends ApiCommand {

        @Parameters(arity = "0..1", paramLabel = "FILE.json",
                description = "The label set as JSON (as `get` prints it, or {\"labels\": [...]}); or use --labels.")
        Path file;

        @Option(names = "--labels", split = ",", paramLabel = "LABEL", description = "Label names, comma-separated.")
        List<String> labels;

        @Option(names = "--template", paramLabel = "T",
                description = "A prompt template with {} for the label; repeat for an ensemble (default: \"a photo of a {}.\").")
        List<String> templates;

        @Option(names = "--top-k", description = "Labels per classification (default 5).")
        Integer topK;

        @Option(names = "--min-probability", description = "Leave out labels below this probability.")
        Float minProbability;

        @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Apply only to images with this attribute; repeatable.")
        Map<String, String> attributeFilter;

        @Option(names = "--disabled", description = "Store the set but classify nothing with it.")
        boolean disabled;

        @Option(names = "--id", description = "The label set's id (required with --labels; overrides the file's \"id\").")
        String id;

        @Override
        void run(ClassifierApi api, PrintWriter out) throws ClassifierApi.ApiFailure, IOException {
            boolean inline = labels != null || templates != null || topK != null || minProbability != null
                    || attributeFilter != null || disabled;
            if ((file == null) == (labels == null) || (file != null && inline)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give either FILE.json or --labels (with --template, --top-k, ... as needed), not both");
            }
            ObjectNode body;
            if (file != null) {
                JsonNode parsed;
                try {
                    parsed = JSON.readTree(Files.readString(file));
                } catch (JsonProcessingException e) {
                    throw new ClassifierApi.ApiFailure(file + " is not JSON: " + e.getOriginalMessage());
                } catch (IOException e) {
                    throw new ClassifierApi.ApiFailure("cannot read " + file + ": " + UserErrors.describeFileProblem(e));
                }
                if (!(parsed instanceof ObjectNode object)) {
                    throw new ClassifierApi.ApiFailure(file + " does not hold a JSON object");
                }
                body = object;
            } else {
                body = inline();
            }
            String setId = id != null ? id : body.hasNonNull("id") ? body.get("id").asText() : null;
            if (setId == null) {
                throw new ClassifierApi.ApiFailure("the label set needs an id: --id ID, or \"id\" in the file");
            }
            body.put("id", setId);
            ClassifierApi.Answer answer = api.put(setId, JSON.writeValueAsString(body));
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(answer.body())));
            if (answer.status() == 202) {
                spec.commandLine().getErr().println("written; the classifier does not show it yet (it will shortly)");
            }
        }

        private ObjectNode inline() {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode names = body.putArray("labels");
            labels.stream().map(String::strip).forEach(names::add);
            if (templates != null) {
                ArrayNode list = body.putArray("templates");
                templates.forEach(list::add);
            }
            if (topK != null) {
                body.put("topK", topK);
            }
            if (minProbability != null) {
                body.put("minProbability", minProbability);
            }
            if (attributeFilter != null) {
                ObjectNode filter = body.putObject("attributeFilter");
                attributeFilter.forEach(filter::put);
            }
            if (disabled) {
                body.put("enabled", false);
            }
            return body;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the label sets.")
    static final class ListAll extends ApiCommand {

        @Option(names = "--json", description = "Print the JSON array instead of a table.")
        boolean json;

        @Override
        void run(ClassifierApi api, PrintWriter out) throws ClassifierApi.ApiFailure, IOException {
            JsonNode sets = JSON.readTree(api.list().body());
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sets));
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ID", "REVISION", "LABELS", "TOP-K", "ENABLED", "FILTER"));
            for (JsonNode set : sets) {
                Map<String, String> filter = new LinkedHashMap<>();
                set.path("attributeFilter").properties().forEach(e -> filter.put(e.getKey(), e.getValue().asText()));
                rows.add(List.of(set.path("id").asText(), set.path("revision").asText(),
                        Integer.toString(set.path("labels").size()), set.path("topK").asText(),
                        set.path("enabled").asText(), filter.isEmpty() ? "-" : filter.toString()));
            }
            int[] widths = new int[rows.get(0).size()];
            rows.forEach(row -> {
                for (int i = 0; i < row.size(); i++) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            });
            for (List<String> row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.size(); i++) {
                    line.append(String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print one label set as JSON.")
    static final class Get extends ApiCommand {

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run(ClassifierApi api, PrintWriter out) throws ClassifierApi.ApiFailure, IOException {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(api.get(id).body())));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a label set (a tombstone on its topic).")
    static final class Delete extends ApiCommand {

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run(ClassifierApi api, PrintWriter out) throws ClassifierApi.ApiFailure {
            api.delete(id);
            out.println("deleted label set " + id);
        }
    }
}
