package io.gigflow.support;

import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.JobQuery;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * For tests that run with the job executor off: runs the due asynchronous steps (not the
 * timers, which a test fires on purpose) as the job executor would, until none is left.
 */
public final class Jobs {

    private Jobs() {
    }

    /** Every due asynchronous step of one process instance. */
    public static void run(ManagementService managementService, String processInstanceId) {
        drain(managementService, () -> managementService.createJobQuery().processInstanceId(processInstanceId));
    }

    /** Every due asynchronous step of every instance. */
    public static void runAll(ManagementService managementService) {
        drain(managementService, managementService::createJobQuery);
    }

    /** A process instance that has ended, for camunda-bpm-assert's assertions on its history. */
    public static ProcessInstance ended(String id, String processDefinitionKey, String businessKey) {
        return new Ended(id, processDefinitionKey, businessKey);
    }

    private static void drain(ManagementService managementService, java.util.function.Supplier<JobQuery> query) {
        for (int round = 0; round < 20; round++) {
            List<Job> jobs = query.get().executable().messages().list();
            if (jobs.isEmpty()) {
                return;
            }
            jobs.forEach(job -> execute(managementService, job.getId()));
        }
        throw new AssertionError("asynchronous steps kept coming after 20 rounds");
    }

    /**
     * Runs one job; one that is gone by now, or that somebody else runs at this moment, was taken
     * by a job executor of another test context on the same database (CI's PostgreSQL stage shares
     * one database between the test classes): the next round looks again.
     */
    private static void execute(ManagementService managementService, String jobId) {
        try {
            managementService.executeJob(jobId);
        } catch (org.camunda.bpm.engine.OptimisticLockingException takenElsewhere) {
            // the other run committed first; what is left shows up in the next round
        } catch (org.camunda.bpm.engine.ProcessEngineException e) {
            if (managementService.createJobQuery().jobId(jobId).count() > 0) {
                throw e;
            }
        }
    }

    private record Ended(String id, String key, String businessKey) implements ProcessInstance {
        public String getProcessDefinitionId() { return null; }
        public String getProcessDefinitionKey() { return key; }
        public String getBusinessKey() { return businessKey; }
        public String getRootProcessInstanceId() { return id; }
        public String getCaseInstanceId() { return null; }
        public boolean isSuspended() { return false; }
        public String getId() { return id; }
        public boolean isEnded() { return true; }
        public String getProcessInstanceId() { return id; }
        public String getTenantId() { return null; }
    }
}
