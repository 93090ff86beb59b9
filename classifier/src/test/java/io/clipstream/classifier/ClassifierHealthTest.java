package io.clipstream.classifier;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.http.HealthContract;
import io.clipstream.schemas.GroupJoined;
import java.util.List;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class ClassifierHealthTest implements HealthContract {

    @Override
    public List<String> readinessChecks() {
        return List.of("Kafka connection health check", GroupJoined.CHECK_NAME);
    }

    /** Ready once its Kafka Streams instance ran with its tasks (GroupJoined). */
    @Override
    public void becomeReady() throws Exception {
        HealthContract.awaitReady();
    }
}
