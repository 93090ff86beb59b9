package io.clipstream.classifier;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.http.HealthContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class ClassifierHealthTest implements HealthContract {
}
