package io.clipstream.cli.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.cli.CliRun;
import io.clipstream.cli.kafka.ImagePublisher;
import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.cli.kafka.Progress;
import io.clipstream.cli.kafka.Thumbnails;
import io.clipstream.cli.local.FreePorts;
import io.clipstream.cli.local.Installation;
import io.clipstream.cli.local.LocalStack;
import io.clipstream.cli.local.ServiceSettings;
import io.clipstream.cli.pairs.PairPublisher;
import io.clipstream.cli.pairs.PairSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The console in headless Chromium against the real local stack ({@code LocalStack}: the broker, the five services
 * and the console, as {@code clipstream local up} starts them): the trainer trains a tiny CLIP on emoji pairs for a
 * few steps and writes real checkpoints, the newest that passed is rolled out, and then every page is opened with
 * the run's token in the fragment. Dropping a fixture image on "Try it" shows labels of the label set from the served
 * version; the live view shows the classifications of images published meanwhile, and the search page finds them again
 * by text and by image, as {@code clipstream images publish} and {@code clipstream search} do from the command line
 * afterwards (the cat/dog model's semantics by text are checked in search's own SearchServiceTest); no page logs a
 * console error; a
 * screenshot of each page goes to {@code target/console-<page>.png}.
 */
class ConsoleBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Concepts trained on, each in both of the fixture's styles: few enough that some steps tell them apart. */
    private static final int CONCEPTS = 40;
    private static final int TRAIN_PAIRS = 2 * CONCEPTS;
    private static final int STEPS = 60;
    private static final int CHECKPOINT_EVERY = 20;
    private static final String LABEL_SET = "console-emoji";
    private static final int LABELS = 8;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Concept(String file, String label) {
    }

    @Test
    void everyPageWorksInARealBrowserAgainstTheRealStack() throws Exception {
        Installation installation = Installation.locate(null);
        assumeTrue(installation.missingBuildOutputs().isEmpty(), "the services are not packaged (run ./mvnw verify): "
                + installation.missingBuildOutputs());
        var noBrowser = Chromium.ensureInstalled();
        assumeTrue(noBrowser.isEmpty(), () -> "ConsoleBrowserTest skipped: " + noBrowser.orElse(""));
        Path emoji = Path.of(System.getProperty("clipstream.fixtures", "../../shared/fixtures")).resolve("emoji");
        assumeTrue(Files.isDirectory(emoji), "no emoji fixture at " + emoji);
        List<Concept> concepts = concepts(emoji);
        long started = System.nanoTime();

        int kafkaPort = FreePorts.consecutive(2);
        int httpPort = FreePorts.consecutive(Installation.portSpan());
        Path runDirectory = installation.stateDirectory().resolve("run-console-test-" + System.currentTimeMillis());
        LocalStack stack = new LocalStack(installation, kafkaPort, httpPort, runDirectory, settings());
        try {
            stack.start(180, (component, message) -> System.out.printf("[%-10s] %s%n", component, message));
            String token = stack.operatorToken();
            String version = trainAndRollOut(stack, token, concepts);
            System.out.printf("ConsoleBrowserTest: stack up, trained and rolled out %s in %d s%n", version,
                    (System.nanoTime() - started) / 1_000_000_000);
            List<Concept> labelled = concepts.subList(0, LABELS);
            putLabelSet(stack, token, labelled);
            browse(stack, version, emoji, labelled);
            searchFromTheCommandLine(stack, version, emoji, labelled);
        } finally {
            stack.stop();
            System.out.printf("ConsoleBrowserTest: %d s in all; logs in %s%n",
                    (System.nanoTime() - started) / 1_000_000_000, runDirectory);
        }
    }

    private void browse(LocalStack stack, String version, Path emoji, List<Concept> labelled) throws Exception {
        Path profile = Files.createTempDirectory("clipstream-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Chromium.BROWSER.toString());
        // As the machines' probe starts it: no sandbox as root, and none of Chromium's own calls home.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,860", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Chromium.DRIVER.toFile()).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            // Try it: the token arrives in the fragment and leaves the address bar at once.
            driver.get(stack.consoleUrl(""));
            await(() -> !driver.findElements(By.cssSelector("#label-set option[value='" + LABEL_SET + "']")).isEmpty(),
                    "the label set in the picker", driver);
            assertFalse(driver.getCurrentUrl().contains("token"), driver.getCurrentUrl());
            assertEquals(stack.operatorToken(), ((JavascriptExecutor) driver)
                    .executeScript("return sessionStorage.getItem('clipstream.token')"));
            assertTrue(driver.findElements(By.id("no-token")).isEmpty(), "no 'no token' banner");
            Path dropped = emoji.resolve("twitter").resolve(labelled.get(0).file());
            drop(driver, dropped);
            await(() -> text(driver, "answered-version").equals(version), "the answer of model version " + version,
                    driver);
            List<String> shown = driver.findElements(By.cssSelector("#labels-out .prob-label")).stream()
                    .map(WebElement::getText).toList();
            List<String> labels = labelled.stream().map(Concept::label).toList();
            assertFalse(shown.isEmpty(), "labels shown");
            assertTrue(labels.containsAll(shown), shown + " are labels of the set " + labels);
            assertTrue(text(driver, "answered").contains("(rolled out)"), text(driver, "answered"));
            screenshot(driver, "try");

            // Picking a file instead, against typed labels (the label set is let go as one types).
            List<String> typed = labels.subList(1, 4);
            driver.findElement(By.id("labels")).sendKeys(String.join(", ", typed));
            assertEquals("", ((JavascriptExecutor) driver).executeScript(
                    "return document.getElementById('label-set').value"), "typing labels lets the label set go");
            Path picked = emoji.resolve("twitter").resolve(labelled.get(1).file());
            driver.findElement(By.id("file")).sendKeys(picked.toRealPath().toString()); // the driver wants a canonical path
            await(() -> !driver.findElements(By.cssSelector("#result .preview img[alt='" + picked.getFileName() + "']"))
                    .isEmpty() && text(driver, "answered").contains("typed labels"), "the picked file's answer", driver);
            List<String> shownTyped = driver.findElements(By.cssSelector("#labels-out .prob-label")).stream()
                    .map(WebElement::getText).toList();
            assertEquals(new java.util.TreeSet<>(typed), new java.util.TreeSet<>(shownTyped), "the typed labels ranked");
            noConsoleErrors(driver, "Try it");

            // Live: classifications of images published while the page listens.
            driver.get(stack.service(LocalStack.CONSOLE).baseUrl() + "/live.html");
            await(() -> text(driver, "stream-state").equals("live"), "the stream connected", driver);
            publishImages(stack, emoji, labelled, "live");
            await(() -> driver.findElements(By.cssSelector("tr.classification")).size() >= labelled.size(),
                    labelled.size() + " classifications in the live view", driver);
            for (WebElement row : driver.findElements(By.cssSelector("tr.classification"))) {
                assertEquals(version, row.getAttribute("data-version"));
            }
            assertFalse(driver.findElements(By.cssSelector("tr.classification img.thumb")).isEmpty(), "thumbnails");
            Thread.sleep(1300); // the arrival highlight fades: the screenshot shows the rows as they stay
            screenshot(driver, "live");
            noConsoleErrors(driver, "Live");

            // Search: the images just classified are found again, by text and by the image itself.
            awaitIndexed(stack, version, labelled.size());
            driver.get(stack.service(LocalStack.CONSOLE).baseUrl() + "/search.html");
            await(() -> !driver.findElements(By.cssSelector("#search-version option[value='" + version + "']"))
                    .isEmpty(), "version " + version + " among the indexed versions", driver);
            driver.findElement(By.id("search-text")).sendKeys(labelled.get(0).label());
            driver.findElement(By.id("search-go")).click();
            await(() -> text(driver, "search-answered-version").equals(version)
                    && driver.findElements(By.cssSelector("figure.hit")).size() == labelled.size(),
                    "the " + labelled.size() + " indexed images ranked for a text", driver);
            for (WebElement hit : driver.findElements(By.cssSelector("figure.hit"))) {
                assertTrue(hit.getAttribute("data-image").startsWith("live-"), hit.getAttribute("data-image"));
            }
            assertFalse(driver.findElements(By.cssSelector("figure.hit img.hit-thumb")).isEmpty(), "thumbnails");
            Concept query = labelled.get(2);
            Path queryImage = emoji.resolve("twitter").resolve(query.file());
            driver.findElement(By.id("search-file")).sendKeys(queryImage.toRealPath().toString());
            String same = "live-" + query.file().replace(".png", "");
            await(() -> !driver.findElements(By.cssSelector("figure.hit[data-rank='1'][data-image='" + same + "']"))
                    .isEmpty(), "the image itself first when searching by it (" + same + ")", driver);
            screenshot(driver, "search");
            noConsoleErrors(driver, "Search");

            driver.get(stack.service(LocalStack.CONSOLE).baseUrl() + "/label-sets.html");
            await(() -> !driver.findElements(By.cssSelector("tr[data-set='" + LABEL_SET + "']")).isEmpty(),
                    "the label set listed", driver);
            driver.findElement(By.cssSelector("tr[data-set='" + LABEL_SET + "'] button")).click();
            await(() -> driver.findElement(By.id("editor-title")).getText().equals("Edit " + LABEL_SET),
                    "the set in the editor", driver);
            driver.findElement(By.id("save")).click();
            await(() -> driver.findElement(By.id("editor-message")).getText().contains("at revision 2"),
                    "saved as revision 2", driver);
            assertTrue(text(driver, "editor-state").startsWith("revision 2:"), text(driver, "editor-state"));
            screenshot(driver, "label-sets");
            noConsoleErrors(driver, "Label sets");

            driver.get(stack.service(LocalStack.CONSOLE).baseUrl() + "/training.html");
            await(() -> driver.findElements(By.cssSelector("tr.checkpoint")).size() >= 2
                    && driver.findElements(By.cssSelector(".chart svg polyline")).size() >= 2
                    && !driver.findElements(By.id("trainer-state")).isEmpty(), "checkpoints and their charts", driver);
            // The card's last line is its value (the first, its title).
            assertEquals("fp32", text(driver, "trainer-precision").lines().reduce((first, last) -> last).orElse(""),
                    "the run's precision");
            screenshot(driver, "training");
            noConsoleErrors(driver, "Training");

            driver.get(stack.service(LocalStack.CONSOLE).baseUrl() + "/rollout.html");
            await(() -> text(driver, "embedder-version").equals(version)
                    && text(driver, "classifier-version").equals(version)
                    && text(driver, "share-state").equals("live"), "both serving " + version, driver);
            publishImages(stack, emoji, labelled.subList(0, 3), "rollout");
            await(() -> !driver.findElements(By.cssSelector(".share[data-version='" + version + "']")).isEmpty(),
                    "the version's share of the stream", driver);
            screenshot(driver, "rollout");
            noConsoleErrors(driver, "Rollout");
        } finally {
            driver.quit();
        }
    }

    /**
     * The command line's way through the same stack: {@code clipstream images publish} a folder with an attribute, the
     * embedder and search take the images in, and {@code clipstream search} finds them by image (the image itself
     * first) and by text, filtered on the attribute, as JSON and as printed lines.
     */
    private void searchFromTheCommandLine(LocalStack stack, String version, Path emoji, List<Concept> labelled)
            throws Exception {
        Path folder = Files.createTempDirectory("clipstream-cli-images-");
        List<Concept> published = labelled.subList(0, 4);
        for (Concept concept : published) {
            Files.copy(emoji.resolve("twitter").resolve(concept.file()), folder.resolve("cli-" + concept.file()));
        }
        CliRun.Result publish = CliRun.run("images", "publish", folder.toString(), "-a", "run=cli", "-b",
                stack.bootstrapServers());
        assertEquals(0, publish.code(), publish.toString());

        String url = stack.service(LocalStack.SEARCH).baseUrl();
        String token = stack.operatorToken();
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode all;
        do {
            CliRun.Result found = CliRun.run("search", labelled.get(0).label(), "-k", "100", "-f", "run=cli",
                    "--url", url, "--token", token, "--json");
            assertEquals(0, found.code(), found.toString());
            all = json.readTree(found.out());
            if (all.path("results").size() >= published.size()) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the published images were not found in time: " + found);
            Thread.sleep(300);
        } while (true);
        assertEquals(version, all.path("modelVersion").asText(), "the rolled-out version answered");
        all.path("results").forEach(r -> assertEquals("cli", r.path("attributes").path("run").asText(), r.toString()));

        Concept query = published.get(1);
        String same = "cli-" + query.file().replace(".png", "");
        CliRun.Result byImage = CliRun.run("search", "--image", folder.resolve("cli-" + query.file()).toString(),
                "-k", "3", "-f", "run=cli", "--url", url, "--token", token, "--json");
        assertEquals(0, byImage.code(), byImage.toString());
        JsonNode results = json.readTree(byImage.out()).path("results");
        assertEquals(3, results.size(), byImage.toString());
        assertEquals(same, results.get(0).path("imageId").asText(), "the image itself first: " + byImage);

        CliRun.Result printed = CliRun.run("search", labelled.get(0).label(), "-k", "2", "-f", "run=cli",
                "--url", url, "--token", token);
        assertEquals(0, printed.code(), printed.toString());
        assertTrue(printed.out().startsWith("2 image(s), model version " + version), printed.out());
        assertTrue(printed.out().contains("run=cli"), printed.out());
    }

    /** Waits until the search service holds {@code count} images of {@code version}. */
    private void awaitIndexed(LocalStack stack, String version, int count) throws Exception {
        String url = stack.service(LocalStack.SEARCH).baseUrl() + "/search/versions";
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode versions = get(url, stack.operatorToken());
            for (JsonNode stats : versions.path("versions")) {
                if (version.equals(stats.path("version").asText()) && stats.path("documents").asLong() >= count) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("search did not index " + count + " images of " + version + " within "
                        + WAIT.toSeconds() + " s: " + versions);
            }
            Thread.sleep(300);
        }
    }

    /** A real drop event on the drop zone, carrying the file as the browser's own drag and drop would. */
    private static void drop(WebDriver driver, Path file) throws IOException {
        ((JavascriptExecutor) driver).executeScript("""
                const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], arguments[1], { type: 'image/png' }));
                document.getElementById('drop').dispatchEvent(
                    new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
                """, Base64.getEncoder().encodeToString(Files.readAllBytes(file)), file.getFileName().toString());
    }

    private static String text(WebDriver driver, String id) {
        List<WebElement> found = driver.findElements(By.id(id));
        return found.isEmpty() ? "" : found.get(0).getText().strip();
    }

    private static void await(Supplier<Boolean> condition, String what, WebDriver driver) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (WebDriverException e) {
                // a page still building its rows
            }
            if (System.nanoTime() > deadline) {
                screenshot(driver, "failed");
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what + " (" + driver.getCurrentUrl()
                        + "; see target/console-failed.png); console: " + consoleLines(driver));
            }
            Thread.sleep(200);
        }
    }

    private static void noConsoleErrors(WebDriver driver, String page) {
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
        assertTrue(errors.isEmpty(), page + " logged console errors: " + errors);
    }

    private static String consoleLines(WebDriver driver) {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                    .collect(Collectors.joining(" | "));
        } catch (WebDriverException e) {
            return "(unreadable)";
        }
    }

    private static void screenshot(WebDriver driver, String page) {
        try {
            Path file = Path.of("target", "console-" + page + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            System.out.println("ConsoleBrowserTest: screenshot " + file.toAbsolutePath());
        } catch (IOException | WebDriverException e) {
            System.out.println("ConsoleBrowserTest: no screenshot of " + page + ": " + e);
        }
    }

    /** A short real training run: the trainer's settings as the demo's, scaled down to a few steps. */
    private static ServiceSettings settings() {
        return new ServiceSettings(Map.of(
                "trainer", Map.ofEntries(
                        Map.entry("clipstream.trainer.preset", "tiny"),
                        Map.entry("clipstream.trainer.tokenizer.bootstrap-captions", Integer.toString(TRAIN_PAIRS * 9 / 10)),
                        Map.entry("clipstream.trainer.tokenizer.vocab-size", "1000"),
                        Map.entry("clipstream.trainer.checkpoint.every-steps", Integer.toString(CHECKPOINT_EVERY)),
                        Map.entry("clipstream.trainer.optimizer.learning-rate", "1e-3"),
                        Map.entry("clipstream.trainer.optimizer.warmup-steps", "3"),
                        Map.entry("clipstream.trainer.optimizer.schedule", "cosine"),
                        Map.entry("clipstream.trainer.optimizer.total-steps", Integer.toString(STEPS)),
                        Map.entry("clipstream.trainer.batch.size", "32"),
                        // Rehearsal waits for a shuffle buffer's worth of pairs (1024 by default): the test has 80.
                        Map.entry("clipstream.trainer.batch.shuffle-buffer", "64"),
                        Map.entry("clipstream.trainer.batch.rehearse-when-idle", "true"),
                        Map.entry("clipstream.trainer.batch.idle-flush", "PT2S"),
                        // Some pairs held out, so that the checkpoints have held-out metrics to chart and judge.
                        Map.entry("clipstream.trainer.held-out.fraction", "0.1")),
                "ingest", Map.of("clipstream.ingest.training-size", "64")));
    }

    /** Publishes the pairs, waits for the checkpoints, pauses the trainer, rolls the newest that passed out. */
    private String trainAndRollOut(LocalStack stack, String token, List<Concept> concepts) throws Exception {
        Path emoji = Path.of(System.getProperty("clipstream.fixtures", "../../shared/fixtures")).resolve("emoji");
        KafkaOptions kafka = KafkaOptions.of(stack.bootstrapServers());
        Progress progress = new Progress("pairs", TRAIN_PAIRS, quiet());
        try (PairPublisher publisher = new PairPublisher(kafka.producerProperties("console-test-pairs"), progress)) {
            for (String style : List.of("google", "twitter")) {
                for (Concept concept : concepts) {
                    publisher.publish(new PairSource.Entry(style + "-" + concept.file(),
                            emoji.resolve(style).resolve(concept.file()), concept.label(),
                            Map.of("label", concept.label()), null));
                }
            }
        }
        String trainer = stack.service("trainer").baseUrl();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        JsonNode listed;
        while (true) {
            listed = get(trainer + "/trainer/checkpoints", token);
            long taken = 0;
            for (JsonNode c : listed) {
                taken = Math.max(taken, c.path("step").asLong());
            }
            if (taken >= STEPS) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint at step " + STEPS + " within 5 minutes: " + listed + "; status "
                        + get(trainer + "/trainer/status", token));
            }
            Thread.sleep(500);
        }
        send("POST", trainer + "/trainer/pause", token, null);
        String version = null;
        for (JsonNode c : listed) {
            if ("PASSED".equals(c.path("status").asText())) {
                version = c.path("version").asText();
                break; // newest first
            }
        }
        assertTrue(version != null, "a checkpoint that passed: " + listed);
        Files.writeString(LocalStack.rolloutFile(stack.runDirectory()), "CLIPSTREAM_MODEL_CHECKPOINT=" + version + "\n");
        stack.awaitReady(LocalStack.READY_AFTER_ROLLOUT, 120);
        return version;
    }

    private void putLabelSet(LocalStack stack, String token, List<Concept> labelled) throws Exception {
        String body = json.writeValueAsString(Map.of("labels", labelled.stream().map(Concept::label).toList(),
                "templates", List.of("{}"), "topK", 5));
        send("PUT", stack.service("classifier").baseUrl() + "/label-sets/" + LABEL_SET, token, body);
    }

    private static void publishImages(LocalStack stack, Path emoji, List<Concept> concepts, String run) {
        Progress progress = new Progress("images", concepts.size(), quiet());
        try (ImagePublisher publisher = new ImagePublisher(KafkaOptions.of(stack.bootstrapServers())
                .producerProperties("console-test-images"), progress)) {
            for (Concept concept : concepts) {
                Path file = emoji.resolve("twitter").resolve(concept.file());
                publisher.publish(run + "-" + concept.file().replace(".png", ""), file, Thumbnails.dataUrl(file)
                        .map(url -> Map.of(Thumbnails.ATTRIBUTE, url)).orElse(Map.of()));
            }
        }
    }

    /** The fixture's concepts drawn in both styles, with distinct labels, in the fixture's order after a fixed skip. */
    private List<Concept> concepts(Path emoji) throws IOException {
        List<Concept> concepts = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<String> lines = Files.readAllLines(emoji.resolve("pairs.jsonl"));
        // Past the keycaps and flags at the start: animals and faces read better on a screenshot.
        for (String line : lines.subList(Math.min(400, lines.size() / 4), lines.size())) {
            JsonNode pair = json.readTree(line);
            String file = pair.path("file").asText();
            String label = pair.path("label").asText();
            if (Files.exists(emoji.resolve("google").resolve(file)) && Files.exists(emoji.resolve("twitter").resolve(file))
                    && label.length() <= 30 && seen.add(label)) {
                concepts.add(new Concept(file, label));
            }
            if (concepts.size() == CONCEPTS) {
                break;
            }
        }
        assertEquals(CONCEPTS, concepts.size());
        return concepts;
    }

    private JsonNode get(String url, String token) throws IOException, InterruptedException {
        return json.readTree(send("GET", url, token, null));
    }

    private String send(String method, String url, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, method + " " + url + ": " + response.statusCode() + " "
                + response.body());
        return response.body();
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
