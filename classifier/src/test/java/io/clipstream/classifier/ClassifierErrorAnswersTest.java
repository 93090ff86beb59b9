package io.clipstream.classifier;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.http.ErrorAnswersContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Optional;

/** The classifier's error answers: the shared contract. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class ClassifierErrorAnswersTest implements ErrorAnswersContract {

    @Override
    public Optional<Endpoint> jsonEndpoint() {
        return Optional.of(new Endpoint("PUT", "/label-sets/error-answers"));
    }

    @Override
    public Endpoint unservedMethod() {
        return new Endpoint("POST", "/label-sets");
    }
}
