package io.clipstream.ingest.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Reads an image named by URL in an upload, as {@link ImageUrlPolicy} allows: a file under an allowed directory, or
 * an http(s) resource of an allowed prefix, fetched from the address that was checked, redirects followed here (each
 * one checked again, on the same host only), within the size and time limits. A refused URL is never read.
 */
final class ImageUrls implements AutoCloseable {

    /** Limits of one read. {@code timeout} covers the whole read, redirects included. */
    record Limits(long maxBytes, int maxRedirects, Duration connectTimeout, Duration timeout) {
    }

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final ImageUrlPolicy policy;
    private final Limits limits;
    private final HttpClient http;
    private final Consumer<InetSocketAddress> beforeConnect;

    private ImageUrls(ImageUrlPolicy policy, Limits limits, HttpClient http, Consumer<InetSocketAddress> beforeConnect) {
        this.policy = policy;
        this.limits = limits;
        this.http = http;
        this.beforeConnect = beforeConnect;
    }

    /** URLs refused, each with how to enable them. */
    static ImageUrls disabled() {
        return new ImageUrls(null, null, null, address -> {
        });
    }

    /**
     * URLs read as the policy allows.
     *
     * @param beforeConnect told of each address just before it is connected to (tests use it to prove that a refused
     *        address never is)
     */
    static ImageUrls enabled(ImageUrlPolicy policy, Limits limits, Vertx vertx, Consumer<InetSocketAddress> beforeConnect) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, limits.connectTimeout().toMillis()))
                .setVerifyHost(true).setMaxRedirects(0));
        return new ImageUrls(policy, limits, client, beforeConnect);
    }

    /** The settings' reader: disabled, or enabled with a policy (which fails on unusable settings). */
    static ImageUrls of(boolean allowed, List<String> prefixes, List<String> networks, Limits limits, Vertx vertx) {
        if (!allowed) {
            return disabled();
        }
        return enabled(ImageUrlPolicy.of(prefixes, networks), limits, vertx, address -> {
        });
    }

    byte[] read(String url, String where) {
        if (policy == null) {
            throw new UploadException(where + ": image URLs are disabled on this service (set "
                    + "clipstream.ingest.allow-image-urls=true and " + ImageUrlPolicy.PREFIXES_KEY + " to enable); "
                    + "send the image as base64 in \"image\"");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UploadException(where + ": imageUrl is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> file(policy.allowedFile(uri, where), url, where);
            case "http", "https" -> http(uri, where);
            default -> throw new UploadException(where + ": imageUrl must be file:, http: or https:, not " + url);
        };
    }

    private byte[] file(Path real, String url, String where) {
        try {
            if (Files.size(real) > limits.maxBytes()) {
                throw tooLarge(where, url);
            }
            // The real path has no links left; NOFOLLOW_LINKS refuses one put in its place since the check.
            try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
                if (bytes.length > limits.maxBytes()) {
                    throw tooLarge(where, url);
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new UploadException(where + ": cannot read " + url + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private byte[] http(URI first, String where) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("image URLs are read on a worker thread, not on the event loop");
        }
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        URI current = first;
        for (int redirects = 0; ; redirects++) {
            ImageUrlPolicy.HttpTarget target = policy.allowedHttp(current, where);
            Object answer = get(target, deadline, where);
            if (answer instanceof byte[] bytes) {
                return bytes;
            }
            String location = (String) answer;
            if (redirects == limits.maxRedirects()) {
                throw new UploadException(where + ": imageUrl " + first + " is refused: more than "
                        + limits.maxRedirects() + " redirects");
            }
            URI next;
            try {
                next = current.resolve(new URI(location));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new UploadException(where + ": " + current + " redirects to " + location + ", which is not a URL");
            }
            if (next.getHost() == null || !next.getHost().equalsIgnoreCase(first.getHost())) {
                throw new UploadException(where + ": imageUrl " + first + " is refused: it redirects to another host ("
                        + next + ")");
            }
            if ("https".equalsIgnoreCase(current.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new UploadException(where + ": imageUrl " + first + " is refused: it redirects from https to "
                        + next);
            }
            current = next;
        }
    }

    /** One GET of an allowed target: the body, or the Location of a redirect (a String). */
    private Object get(ImageUrlPolicy.HttpTarget target, long deadline, String where) {
        String url = target.uri().toString();
        CompletableFuture<Object> answer = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        beforeConnect.accept(new InetSocketAddress(target.address(), target.port()));
        // The connection goes to the checked address; the host stays the Host header, TLS SNI and certificate name.
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setHost(target.host()).setPort(target.port()).setSsl(target.https()).setURI(target.requestUri())
                .setFollowRedirects(false).setConnectTimeout(limits.connectTimeout().toMillis())
                .putHeader("Accept", "image/*");
        http.request(options).onSuccess(request -> {
            sent.set(request);
            request.send().onSuccess(response -> answer(response, answer, url, where))
                    .onFailure(answer::completeExceptionally);
        }).onFailure(answer::completeExceptionally);
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.complete(null);
            HttpClientRequest request = sent.get();
            if (request != null) {
                request.reset();
            }
            throw new UploadException(where + ": " + url + " did not answer within " + limits.timeout().toMillis()
                    + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UploadException upload) {
                throw upload;
            }
            throw new UploadException(where + ": cannot read " + url + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadException(where + ": interrupted while reading " + url);
        }
    }

    /** Runs on the event loop: the body when it is a 200 within the size limit, else the answer that says why not. */
    private void answer(HttpClientResponse response, CompletableFuture<Object> answer, String url, String where) {
        int status = response.statusCode();
        if (REDIRECTS.contains(status) && response.getHeader("Location") != null) {
            answer.complete(response.getHeader("Location"));
            response.request().reset();
            return;
        }
        if (status != 200) {
            answer.completeExceptionally(new UploadException(where + ": " + url + " answered HTTP " + status));
            response.request().reset();
            return;
        }
        String length = response.getHeader("Content-Length");
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > limits.maxBytes()) {
            answer.completeExceptionally(tooLarge(where, url));
            response.request().reset();
            return;
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (answer.isDone()) {
                return;
            }
            if ((long) body.length() + chunk.length() > limits.maxBytes()) {
                answer.completeExceptionally(tooLarge(where, url));
                response.request().reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(answer::completeExceptionally);
        response.endHandler(end -> answer.complete(body.getBytes()));
    }

    private UploadException tooLarge(String where, String url) {
        return new UploadException(where + ": image at " + url + " is larger than " + limits.maxBytes() + " bytes");
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
    }
}
