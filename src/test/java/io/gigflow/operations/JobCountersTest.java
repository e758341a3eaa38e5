package io.gigflow.operations;

import static io.gigflow.support.Http.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** The job counters count what the job executor does: a process with two asynchronous steps counts two more jobs executed. */
@SpringBootTest
@ActiveProfiles("test")
class JobCountersTest {

    @Autowired ProcessEngine engine;
    @Autowired MeterRegistry meters;

    @Test
    void theJobExecutorsRunsAreCountedOnThisNode() {
        engine.getRepositoryService().createDeployment().addModelInstance("counted.bpmn", Bpmn.createExecutableProcess("counted")
                .camundaHistoryTimeToLive(1).startEvent().serviceTask().camundaAsyncBefore().camundaExpression("${true}")
                .serviceTask().camundaAsyncBefore().camundaExpression("${true}").endEvent().done()).deploy();
        double executed = executed();
        double acquired = meters.get("gigflow.jobs.acquired").functionCounter().count();
        String id = engine.getRuntimeService().startProcessInstanceByKey("counted").getId();
        await("the instance ended", () -> engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(id).count() == 0);
        
        assertThat(executed()).isGreaterThanOrEqualTo(executed + 2);
        assertThat(meters.get("gigflow.jobs.acquired").functionCounter().count()).isGreaterThan(acquired);
    }

    private double executed() {
        return meters.get("gigflow.jobs.executed").functionCounter().count();
    }
}
