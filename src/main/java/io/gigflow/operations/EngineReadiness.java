package io.gigflow.operations;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * The {@code engine} health contributor (in the readiness group): UP once the engine answers a
 * query of its deployed processes and, on a node that runs jobs
 * ({@code camunda.bpm.job-execution.enabled}, the default), its job executor is active. Until then
 * the node is not ready: requests would start processes whose asynchronous steps nobody runs.
 */
@Component("engineHealthIndicator")
class EngineReadiness extends AbstractHealthIndicator {

    private final ProcessEngine engine;
    private final boolean runsJobs;

    EngineReadiness(ProcessEngine engine, @Value("${camunda.bpm.job-execution.enabled:true}") boolean runsJobs) {
        super("the process engine is not ready");
        this.engine = engine;
        this.runsJobs = runsJobs;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long processes = engine.getRepositoryService().createProcessDefinitionQuery().latestVersion().count();
        builder.withDetail("name", engine.getName()).withDetail("processes", processes);
        JobExecutor jobExecutor = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor();
        boolean active = jobExecutor != null && jobExecutor.isActive();
        builder.withDetail("jobExecutor", runsJobs ? (active ? "active" : "not active") : "off on this node");
        if (processes == 0 || runsJobs && !active) {
            builder.outOfService();
        } else {
            builder.up();
        }
    }
}
