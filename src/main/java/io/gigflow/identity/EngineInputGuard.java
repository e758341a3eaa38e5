package io.gigflow.identity;

import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.ProcessInputs;
import io.gigflow.shared.RepeatedStartException;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.HistoricProcessInstanceQueryImpl;
import org.camunda.bpm.engine.impl.Page;
import org.camunda.bpm.engine.impl.MessageCorrelationBuilderImpl;
import org.camunda.bpm.engine.impl.ProcessInstanceModificationBuilderImpl;
import org.camunda.bpm.engine.impl.ProcessInstantiationBuilderImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractCorrelateMessageCmd;
import org.camunda.bpm.engine.impl.cmd.AssignTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ClaimTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CorrelateAllMessageCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceAtActivitiesCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitStartFormCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.variable.value.PrimitiveValue;
import org.camunda.bpm.engine.variable.type.ValueType;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * The one door every engine call of a person passes, whichever way it came in (Tasklist and
 * the other webapps, /engine-rest, the domain API's own engine calls): a command interceptor
 * in front of the engine. For a signed-in person who is not an operator (camunda-admin) it
 * lets through only what the lifecycles declare:
 * <ul>
 * <li>a task completion or form submission carries only the fields the step's Camunda Form
 * lets a person fill in, and the step's declared extra inputs ({@link ProcessInputs});
 * <li>a start carries only the process's declared start variables, starts at the start event
 * (no start instructions) and runs every listener; a start repeating the person's own earlier
 * start (same process, same business key) answers 409 with that instance's id; the start
 * values of a lifecycle that keeps them in its row ({@link ProcessInputs.Builder#startReadOnce})
 * go in as transient variables, so the engine stores none of them;
 * <li>a message is one the lifecycles declare, carries only its declared variables and names
 * its one target (process instance or business key); it then runs without the engine's
 * instance permission (nobody but operators holds UPDATE on an instance): the message's catch
 * event checks the sender against the domain row;
 * <li>a claim is for oneself, an unclaim of one's own step;
 * <li>values are plain (strings, numbers, booleans, dates, null): no objects, no files;
 * <li>nothing else that changes an instance or a task from outside (variable writes, handing
 * a task to somebody, identity links, modification, jobs, signals) is done.
 * </ul>
 * A refused variable answers 400 naming it; a refused operation 403. Calls made by code already
 * running inside an engine command (delegates and listeners) and calls without a signed-in
 * person (the job executor, the platform acting as itself) are the platform's own and pass.
 */
final class EngineInputGuard extends CommandInterceptor {

    /** Commands that change an instance or a task in ways no lifecycle offers a party. */
    private static final Set<String> OPERATOR_ONLY = Set.of(
            "SetTaskVariablesCmd", "SetExecutionVariablesCmd", "PatchTaskVariablesCmd", "PatchExecutionVariablesCmd",
            "RemoveTaskVariablesCmd", "RemoveExecutionVariablesCmd", "SetLocalTaskVariablesCmd",
            "SaveTaskCmd", "SetTaskOwnerCmd", "DelegateTaskCmd", "ResolveTaskCmd", "AddIdentityLinkCmd", "DeleteIdentityLinkCmd",
            "AddGroupIdentityLinkCmd", "AddUserIdentityLinkCmd", "DeleteGroupIdentityLinkCmd", "DeleteUserIdentityLinkCmd",
            "SetTaskNameCmd", "SetTaskDescriptionCmd", "SetTaskPriorityCmd", "SetTaskDueDateCmd", "SetTaskFollowUpDateCmd",
            "CreateTaskCmd", "DeleteTaskCmd", "HandleTaskBpmnErrorCmd", "HandleTaskEscalationCmd",
            "ModifyProcessInstanceCmd", "ModifyProcessInstanceAsyncCmd", "ProcessInstanceModificationBatchCmd",
            "MessageEventReceivedCmd", "SignalCmd", "SignalEventReceivedCmd",
            "ExecuteJobsCmd", "SetJobRetriesCmd", "SetJobsRetriesCmd", "SetJobDuedateCmd", "SetJobPriorityCmd",
            "RecalculateJobDuedateCmd", "SetExternalTaskRetriesCmd", "MigrateProcessInstanceCmd",
            "UpdateProcessInstanceSuspensionStateCmd", "UpdateProcessDefinitionSuspensionStateCmd",
            "UpdateJobSuspensionStateCmd", "UpdateJobDefinitionSuspensionStateCmd", "SetProcessDefinitionVersionCmd",
            "RestartProcessInstancesCmd", "DeleteProcessInstanceCmd", "DeleteProcessInstancesCmd");

    private static final Field COMPLETE_TASK_ID = field(CompleteTaskCmd.class, "taskId");
    private static final Field COMPLETE_VARIABLES = field(CompleteTaskCmd.class, "variables");
    private static final Field SUBMIT_TASK_ID = field(SubmitTaskFormCmd.class, "taskId");
    private static final Field SUBMIT_PROPERTIES = field(SubmitTaskFormCmd.class, "properties");
    private static final Field START_FORM_DEFINITION = field(SubmitStartFormCmd.class, "processDefinitionId");
    private static final Field START_FORM_VARIABLES = field(SubmitStartFormCmd.class, "variables");
    private static final Field START_FORM_BUSINESS_KEY = field(SubmitStartFormCmd.class, "businessKey");
    private static final Field START_BUILDER = field(StartProcessInstanceCmd.class, "instantiationBuilder");
    private static final Field MESSAGE_BUILDER = field(AbstractCorrelateMessageCmd.class, "builder");
    private static final Field CLAIM_TASK_ID = field(ClaimTaskCmd.class, "taskId");
    private static final Field CLAIM_USER_ID = field(ClaimTaskCmd.class, "userId");
    private static final Field ASSIGN_TASK_ID = field(AssignTaskCmd.class, "taskId");
    private static final Field ASSIGN_USER_ID = field(AssignTaskCmd.class, "userId");

    private final ProcessEngineConfigurationImpl engine;
    private final Map<String, ProcessInputs> inputsByProcess;
    private final Map<String, Set<String>> messageVariables;
    private final DeclaredForms forms;

    EngineInputGuard(ProcessEngineConfigurationImpl engine, Collection<ProcessInputs> declarations) {
        this.engine = engine;
        Map<String, ProcessInputs> byProcess = new HashMap<>();
        Map<String, Set<String>> messages = new HashMap<>();
        for (ProcessInputs inputs : declarations) {
            if (byProcess.put(inputs.processKey(), inputs) != null) {
                throw new IllegalStateException("two input declarations for process " + inputs.processKey());
            }
            inputs.messages().forEach((name, variables) -> {
                if (messages.put(name, variables) != null) {
                    throw new IllegalStateException("message " + name + " is declared by two processes");
                }
            });
        }
        this.inputsByProcess = Map.copyOf(byProcess);
        this.messageVariables = Map.copyOf(messages);
        this.forms = new DeclaredForms();
    }

    @Override
    public <T> T execute(Command<T> command) {
        if (Context.getCommandContext() != null) {
            return next.execute(command); // inside a command: a delegate or listener of the platform
        }
        Authentication person = engine.getIdentityService().getCurrentAuthentication();
        if (person == null || person.getUserId() == null || isOperator(person)) {
            return next.execute(command);
        }
        if (command instanceof CompleteTaskCmd) {
            checkStep(read(COMPLETE_TASK_ID, command), read(COMPLETE_VARIABLES, command));
        } else if (command instanceof SubmitTaskFormCmd) {
            checkStep(read(SUBMIT_TASK_ID, command), read(SUBMIT_PROPERTIES, command));
        } else if (command instanceof SubmitStartFormCmd) {
            checkStartForm(read(START_FORM_DEFINITION, command), read(START_FORM_VARIABLES, command));
            checkRepeatedStart(processKey(read(START_FORM_DEFINITION, command)), read(START_FORM_BUSINESS_KEY, command), person.getUserId());
        } else if (command instanceof StartProcessInstanceCmd) {
            checkStart(read(START_BUILDER, command), person.getUserId());
        } else if (command instanceof AbstractCorrelateMessageCmd) {
            return correlate(command, read(MESSAGE_BUILDER, command));
        } else if (command instanceof ClaimTaskCmd) {
            String userId = read(CLAIM_USER_ID, command);
            if (userId != null && !userId.equals(person.getUserId())) {
                throw refused("A step can only be claimed by the person who takes it (" + person.getUserId() + ", not " + userId + ")");
            }
            if (userId == null) {
                checkOwnUnclaim(read(CLAIM_TASK_ID, command), person.getUserId());
            }
        } else if (command instanceof AssignTaskCmd) {
            if (read(ASSIGN_USER_ID, command) != null) {
                throw refused("Only operators (camunda-admin) hand a step to somebody; claim it for yourself instead");
            }
            checkOwnUnclaim(read(ASSIGN_TASK_ID, command), person.getUserId());
        } else if (command instanceof StartProcessInstanceAtActivitiesCmd) {
            throw refused("Only operators (camunda-admin) start a process at an inner step or without its listeners");
        } else if (OPERATOR_ONLY.contains(command.getClass().getSimpleName())) {
            throw refused("Only operators (camunda-admin) may do this through the engine (" + command.getClass().getSimpleName() + ")");
        }
        return next.execute(command);
    }

    private static boolean isOperator(Authentication person) {
        return person.getGroupIds() != null && person.getGroupIds().contains(Groups.CAMUNDA_ADMIN);
    }

    // ---- task completion

    private void checkStep(String taskId, Map<String, Object> variables) {
        if (variables == null || variables.isEmpty()) {
            return;
        }
        Step step = asPlatform(context -> {
            TaskEntity task = context.getTaskManager().findTaskById(taskId);
            if (task == null) {
                return null;
            }
            if (task.getProcessDefinitionId() == null) {
                // a task outside any process: no lifecycle offers it, so it takes nothing from a person
                return new Step(task.getTaskDefinitionKey(), Set.of());
            }
            return new Step(task.getTaskDefinitionKey(), stepInputs(context, task.getProcessDefinitionId(), task.getTaskDefinitionKey()));
        });
        if (step == null) {
            // a step that is gone by now (a timer or the other party got there first) or never was:
            // the engine answers that itself, and a completion of nothing writes nothing
            return;
        }
        checkOnly(step.inputs(), variables, "step " + step.taskDefinitionKey());
    }

    /** What a person may write when completing this step (its form's fields and its declared extra inputs). */
    Set<String> stepInputs(String processDefinitionId, String taskDefinitionKey) {
        return asPlatform(context -> stepInputs(context, processDefinitionId, taskDefinitionKey));
    }

    private Set<String> stepInputs(CommandContext context, String processDefinitionId, String taskDefinitionKey) {
        Set<String> allowed = new HashSet<>(forms.taskFields(context, processDefinitionId, taskDefinitionKey));
        var definition = context.getProcessEngineConfiguration().getDeploymentCache().findDeployedProcessDefinitionById(processDefinitionId);
        ProcessInputs declared = definition == null ? null : inputsByProcess.get(definition.getKey());
        if (declared != null) {
            allowed.addAll(declared.extraStepInputs(taskDefinitionKey));
        }
        return allowed;
    }

    /** What a person may write when starting this process, through a start form or a start call. */
    Set<String> startInputs(String processDefinitionId) {
        Set<String> allowed = new HashSet<>(startVariables(processKey(processDefinitionId)));
        allowed.addAll(asPlatform(context -> forms.startFields(context, processDefinitionId)));
        return allowed;
    }

    /** What a person may send with this message, or null when no lifecycle takes it from a person. */
    Set<String> messageInputs(String messageName) {
        return messageVariables.get(messageName);
    }

    /** Throws what the engine answers a person whose call carries these variables where only {@code allowed} may go. */
    static void check(Set<String> allowed, Map<String, ?> variables, String where) {
        checkOnly(allowed, variables, where);
    }

    private void checkOwnUnclaim(String taskId, String userId) {
        String assignee = asPlatform(context -> {
            TaskEntity task = context.getTaskManager().findTaskById(taskId);
            return task == null ? null : task.getAssignee();
        });
        if (assignee != null && !assignee.equals(userId)) {
            throw refused("Only the person who holds a step may give it back");
        }
    }

    // ---- starts

    private void checkStart(ProcessInstantiationBuilderImpl start, String userId) {
        ProcessInstanceModificationBuilderImpl modification = start.getModificationBuilder();
        if (modification != null && (!modification.getModificationOperations().isEmpty()
                || modification.isSkipCustomListeners() || modification.isSkipIoMappings())) {
            throw refused("Only operators (camunda-admin) start a process at an inner step or without its listeners");
        }
        String key = start.getProcessDefinitionKey() != null ? start.getProcessDefinitionKey()
                : processKey(start.getProcessDefinitionId());
        checkOnly(startVariables(key), start.getVariables(), "process " + key);
        checkRepeatedStart(key, start.getBusinessKey(), userId);
        ProcessInputs declared = key == null ? null : inputsByProcess.get(key);
        if (declared != null && declared.startReadOnce() && start.getVariables() != null) {
            // as when the domain API starts the process: the first step keeps them in its row, the engine stores none
            start.getVariables().putAll(ProcessInputs.readOnce(start.getVariables()));
        }
    }

    /**
     * A start with a business key that the same person used for the same process before (the
     * engine's history knows who started an instance): 409 naming that instance, the answer a
     * platform needs when it retries a start whose first answer it never got. Somebody else's
     * instance with that business key is not named: the lifecycle refuses the key as taken.
     */
    private void checkRepeatedStart(String processKey, String businessKey, String userId) {
        if (processKey == null || businessKey == null) {
            return;
        }
        String existing = asPlatform(context -> {
            HistoricProcessInstanceQueryImpl query = new HistoricProcessInstanceQueryImpl();
            query.processDefinitionKey(processKey).processInstanceBusinessKey(businessKey).startedBy(userId);
            return query.executeList(context, new Page(0, 1)).stream().findFirst().map(HistoricProcessInstance::getId).orElse(null);
        });
        if (existing != null) {
            throw new RepeatedStartException(processKey, businessKey, existing);
        }
    }

    private void checkStartForm(String processDefinitionId, Map<String, Object> variables) {
        checkOnly(startInputs(processDefinitionId), variables, "process " + processKey(processDefinitionId));
    }

    private Set<String> startVariables(String processKey) {
        ProcessInputs declared = processKey == null ? null : inputsByProcess.get(processKey);
        return declared == null ? Set.of() : declared.startVariables();
    }

    // ---- messages

    private <T> T correlate(Command<T> command, MessageCorrelationBuilderImpl message) {
        Set<String> declared = messageVariables.get(message.getMessageName());
        if (declared == null) {
            throw refused("No lifecycle takes the message " + message.getMessageName() + " from a person");
        }
        if (command instanceof CorrelateAllMessageCmd) {
            throw refused("A message from a person reaches one process instance; correlate it, not all");
        }
        if (message.getProcessInstanceId() == null && message.getBusinessKey() == null) {
            throw InvalidInputException.of("Invalid message", "processInstanceId", "required",
                    "name the process instance (processInstanceId) or its business key (businessKey) the message is for");
        }
        if (!isEmpty(message.getCorrelationProcessInstanceVariables()) || !isEmpty(message.getCorrelationLocalVariables())) {
            throw InvalidInputException.of("Invalid message", "correlationKeys", "notAllowed",
                    "a message from a person is correlated by process instance or business key only");
        }
        Map<String, Object> payload = new HashMap<>();
        putAll(payload, message.getPayloadProcessInstanceVariables());
        putAll(payload, message.getPayloadProcessInstanceVariablesLocal());
        putAll(payload, message.getPayloadProcessInstanceVariablesToTriggeredScope());
        checkOnly(declared, payload, "message " + message.getMessageName());
        // nobody but operators holds UPDATE on an instance: the catch event's listener checks the sender against the row
        return next.execute(new WithoutInstancePermission<>(command));
    }

    private static final class WithoutInstancePermission<T> implements Command<T> {

        private final Command<T> command;

        WithoutInstancePermission(Command<T> command) {
            this.command = command;
        }

        @Override
        public T execute(CommandContext context) {
            context.disableAuthorizationCheck();
            try {
                return command.execute(context);
            } finally {
                context.enableAuthorizationCheck();
            }
        }
    }

    // ---- the rules every input follows

    private static void checkOnly(Set<String> allowed, Map<String, ?> variables, String where) {
        if (variables == null || variables.isEmpty()) {
            return;
        }
        FieldErrors errors = new FieldErrors();
        for (String name : new TreeSet<>(variables.keySet())) {
            if (!allowed.contains(name)) {
                errors.add(name, "notAllowed", "is not an input of " + where + " (it takes "
                        + (allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed))) + ")");
            } else if (!plain(variables, name)) {
                errors.add(name, "type", "must be a plain value (string, number, boolean, date), not an object or a file");
            }
        }
        errors.throwIfAny("Invalid input");
    }

    private static boolean plain(Map<String, ?> variables, String name) {
        Object value = variables instanceof org.camunda.bpm.engine.variable.VariableMap typed ? typed.getValueTyped(name)
                : variables.get(name);
        if (value instanceof TypedValue typed) {
            // never ask an object value for its value: that would deserialize what the caller sent
            return typed instanceof PrimitiveValue<?> || typed.getType() == ValueType.NULL
                    || typed.getType() == null && plainJava(typed.getValue());
        }
        return plainJava(value);
    }

    private static boolean plainJava(Object value) {
        return value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof java.util.Date;
    }

    private String processKey(String processDefinitionId) {
        if (processDefinitionId == null) {
            return null;
        }
        return asPlatform(context -> {
            var definition = context.getProcessEngineConfiguration().getDeploymentCache()
                    .findDeployedProcessDefinitionById(processDefinitionId);
            return definition == null ? null : definition.getKey();
        });
    }

    /** Looks something up for the guard itself, whatever the person may read. */
    private <T> T asPlatform(Function<CommandContext, T> lookup) {
        return engine.getCommandExecutorTxRequired().execute(context -> {
            context.disableAuthorizationCheck();
            try {
                return lookup.apply(context);
            } finally {
                context.enableAuthorizationCheck();
            }
        });
    }

    private static AuthorizationException refused(String message) {
        return new AuthorizationException(message);
    }

    private static boolean isEmpty(Map<String, ?> map) {
        return map == null || map.isEmpty();
    }

    private static void putAll(Map<String, Object> into, Map<String, Object> from) {
        if (from != null) {
            into.putAll(from);
        }
    }

    private record Step(String taskDefinitionKey, Set<String> inputs) {
    }

    @SuppressWarnings("unchecked")
    private static <T> T read(Field field, Object command) {
        try {
            return (T) field.get(command);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    /** The engine's commands keep their inputs in protected fields; an engine upgrade that renames one fails start-up here. */
    private static Field field(Class<?> type, String name) {
        for (Class<?> declaring = type; declaring != null; declaring = declaring.getSuperclass()) {
            try {
                Field field = declaring.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException notHere) {
                // the field may be the superclass's
            }
        }
        throw new IllegalStateException("the engine's " + type.getSimpleName() + " has no field " + name
                + ": EngineInputGuard must be adapted to this engine version");
    }
}
