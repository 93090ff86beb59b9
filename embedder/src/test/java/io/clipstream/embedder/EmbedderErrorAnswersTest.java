package io.clipstream.embedder;

import static io.clipstream.http.ErrorAnswersContract.assertJsonError;
import static io.clipstream.http.TestTokens.asOperator;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.http.ErrorAnswersContract;
import io.clipstream.http.SecuredEndpointsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The embedder's error answers and who may call it: the shared contracts (before and after a model is there alike). */
@QuarkusTest
@TestProfile(EmbedderProfiles.NoCheckpoint.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class EmbedderErrorAnswersTest implements ErrorAnswersContract, SecuredEndpointsContract {

    @Override
    public Optional<Endpoint> jsonEndpoint() {
        return Optional.of(new Endpoint("POST", "/embed/texts"));
    }

    /** The shared answer, with what the embedder takes instead (its AcceptedBodies). */
    @Test
    void unsupportedContentTypeSaysWhatTheEmbedderTakes() {
        assertJsonError(asOperator().contentType("text/csv").body("a,b\n").post("/embed/images").then(), 415,
                "\": send images as multipart/form-data with \"image\" parts or as the body with an image/* type,"
                        + " texts as a JSON list");
    }

    @Override
    public Endpoint unservedMethod() {
        return new Endpoint("GET", "/embed/texts");
    }

    @Override
    public List<Guarded> guardedEndpoints() {
        return List.of(Guarded.client("POST", "/embed/texts").reading("application/json"),
                Guarded.client("POST", "/embed/images").reading("image/png"), Guarded.client("GET", "/model"),
                Guarded.operator("POST", "/model/reload"));
    }
}
