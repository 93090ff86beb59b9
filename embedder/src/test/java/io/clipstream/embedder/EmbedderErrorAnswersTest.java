package io.clipstream.embedder;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.http.ErrorAnswersContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Optional;

/** The embedder's error answers: the shared contract (before and after a model is there alike). */
@QuarkusTest
@TestProfile(EmbedderProfiles.NoCheckpoint.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class EmbedderErrorAnswersTest implements ErrorAnswersContract {

    @Override
    public Optional<Endpoint> jsonEndpoint() {
        return Optional.of(new Endpoint("POST", "/embed/texts"));
    }

    @Override
    public Endpoint unservedMethod() {
        return new Endpoint("GET", "/embed/texts");
    }
}
