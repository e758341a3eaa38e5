package io.gigflow.shared;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * A person's human step, as the domain API finds and completes it: through the engine, as
 * the signed-in user, so Camunda's authorizations decide as they do in Tasklist.
 */
@Component
public class HumanSteps {

    private final TaskService taskService;
    private final IdentityService identityService;

    public HumanSteps(@Lazy TaskService taskService, @Lazy IdentityService identityService) {
        this.taskService = taskService;
        this.identityService = identityService;
    }

    private <T> T asPlatform(java.util.function.Supplier<T> work) {
        Authentication caller = identityService.getCurrentAuthentication();
        identityService.clearAuthentication();
        try {
            return work.get();
        } finally {
            if (caller != null) {
                identityService.setAuthentication(caller);
            }
        }
    }

    /**
     * Gives a step to the person the row names: assigned to them, and offered to them too (a
     * candidate link of their own). Tasklist's filters of what is yours ("All my tasks", "Checklist
     * tasks") are then one criterion on the identity links, "offered to you or one of your groups,
     * claimed or not", which PostgreSQL reads through the links' user and group indexes; an OR of
     * the assignee and the links read every open task (docs/benchmarks.md, lists). The link gives
     * the person nothing the assignment does not: the engine grants a candidate the same task
     * permission as the assignee, and who may complete the step is the lifecycle guard's decision,
     * from the row. A person who hands the step back (unclaims it) still finds it offered to them.
     */
    public static void assignAndOffer(DelegateTask task, String userId) {
        task.setAssignee(userId);
        task.addCandidateUser(userId);
    }

    /**
     * The instance's open step with this definition key. Looked up as the platform: the caller's
     * guard has decided from the row that this person may act, and {@link #complete} still runs as
     * the person, so the engine's own check (may this person work on this task?) decides there;
     * the look-up itself needs no second, costlier check (a task query under authorizations joins
     * every grant of the person's groups).
     */
    public Optional<Task> open(String processInstanceId, String taskDefinitionKey) {
        List<Task> open = asPlatform(() -> taskService.createTaskQuery().processInstanceId(processInstanceId)
                .taskDefinitionKey(taskDefinitionKey).listPage(0, 1));
        return open.stream().findFirst();
    }

    /**
     * The open step {@code taskDefinitionKey} of the instance of {@code processDefinitionKey} with this business key: a
     * step of a process that the row's own process called under the row's reference.
     */
    public Optional<Task> openCalled(String processDefinitionKey, String businessKey, String taskDefinitionKey) {
        List<Task> open = asPlatform(() -> taskService.createTaskQuery().processDefinitionKey(processDefinitionKey)
                .processInstanceBusinessKey(businessKey).taskDefinitionKey(taskDefinitionKey).listPage(0, 1));
        return open.stream().findFirst();
    }

    /**
     * Completes a step the person saw a moment ago. When it is gone by now, a deadline or the
     * other party got there first: {@link ConflictException} with {@code conflict}.
     */
    public void complete(Task step, Map<String, Object> variables, String conflict) {
        try {
            taskService.complete(step.getId(), variables);
        } catch (InvalidInputException | OptimisticLockingException e) {
            throw e; // a refused input answers 400; a concurrent change is retried by Transactions
        } catch (RuntimeException e) {
            if (gone(step)) {
                throw new ConflictException(conflict);
            }
            throw e;
        }
    }

    private boolean gone(Task step) {
        try {
            return taskService.createTaskQuery().taskId(step.getId()).count() == 0;
        } catch (RuntimeException unreadable) {
            return false;
        }
    }
}
