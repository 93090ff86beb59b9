package io.clipstream.ingest;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.http.HealthContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestHealthTest implements HealthContract {
}
