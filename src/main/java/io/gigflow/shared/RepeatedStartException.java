package io.gigflow.shared;

/**
 * A start that repeats one the same person made before: same process, same business key. Answered
 * 409 with the existing process instance's id ({@code processInstanceId}), so that a platform
 * retrying a start after a timeout finds the instance its first call created.
 */
public class RepeatedStartException extends ConflictException {

    private final String processInstanceId;

    public RepeatedStartException(String processKey, String businessKey, String processInstanceId) {
        super("You started " + processKey + " with business key " + businessKey + " before: process instance "
                + processInstanceId + "; a business key starts one process instance");
        this.processInstanceId = processInstanceId;
    }

    public String processInstanceId() {
        return processInstanceId;
    }
}
