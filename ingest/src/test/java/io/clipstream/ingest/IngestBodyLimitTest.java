package io.clipstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.schemas.Topics;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * An upload becomes a pairs.raw record, at most {@link Topics#MAX_MESSAGE_BYTES}: the HTTP body limit lets through
 * one record's image as base64 JSON and not much more (a body that could only make an oversized record is refused
 * before it is read into the heap).
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestBodyLimitTest {

    @TestHTTPResource("/pairs")
    URI pairs;

    @Test
    void theBodyLimitFitsOneRecordOfBase64AndABiggerBodyIsRefused() throws Exception {
        long maxBody = ConfigProvider.getConfig().getValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .asLongValue();
        long recordAsBase64 = (Topics.MAX_MESSAGE_BYTES + 2L) / 3 * 4;
        assertTrue(maxBody >= recordAsBase64, maxBody + " bytes cannot carry a record-sized image as base64");
        assertTrue(maxBody <= recordAsBase64 + (1 << 20), maxBody + " bytes is more than one record as base64 needs");
        // Expect: 100-continue, as curl sends large bodies: the refusal comes before the body is sent.
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(pairs).header("Content-Type", "application/json").expectContinue(true)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) maxBody + 1])).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(413, answer.statusCode(), answer.body());
    }
}
