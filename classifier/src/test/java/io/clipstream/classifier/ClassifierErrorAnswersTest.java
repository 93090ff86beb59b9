package io.clipstream.classifier;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.http.ErrorAnswersContract;
import io.clipstream.http.SecuredEndpointsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Optional;

/** The classifier's error answers and who may call it: the shared contracts. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class ClassifierErrorAnswersTest implements ErrorAnswersContract, SecuredEndpointsContract {

    @Override
    public Optional<Endpoint> jsonEndpoint() {
        return Optional.of(new Endpoint("PUT", "/label-sets/error-answers"));
    }

    @Override
    public Endpoint unservedMethod() {
        return new Endpoint("POST", "/label-sets");
    }

    @Override
    public List<Guarded> guardedEndpoints() {
        return List.of(Guarded.client("GET", "/label-sets"), Guarded.client("GET", "/label-sets/auth-probe"),
                Guarded.operator("PUT", "/label-sets/auth-probe").reading("application/json"),
                Guarded.operator("DELETE", "/label-sets/auth-probe"), Guarded.client("GET", "/classifications/stream"),
                Guarded.client("POST", "/classify").reading("image/png"), Guarded.client("GET", "/model"));
    }

    /** Those that answer at once: a label set that does not exist is a 404, the stream never ends. */
    @Override
    public List<Guarded> clientReads() {
        return List.of(Guarded.client("GET", "/label-sets"), Guarded.client("GET", "/model"));
    }
}
