package io.gigflow.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gigflow.identity.Parties;
import io.gigflow.shared.Money;
import io.gigflow.shared.PersonalStartForm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The start forms of the two action processes, per person: the assignment is chosen from a
 * select of the assignments the signed-in person may act on (label "F-7002 · Fix the boiler
 * (Acme Facilities)": reference, title, the other party; value the reference), from the rows,
 * for this person only. A worker gets the assignments they are the assigned worker of, a client
 * member their companies' assignments, neither the cancelled ones. With none, the select is
 * empty and the intro says so. The amount fields name the currency when the choices share one.
 *
 * <p>The list is a convenience: the action's step checks the submitted reference through
 * {@link FieldGuard} and the service exactly as for a typed one.
 */
@Component
class FieldActionForms implements PersonalStartForm {

    /** At most this many choices, newest first (a person acts on current work). */
    static final int MAX_CHOICES = 200;

    /** The forms' intro texts (forms/field-assignment-*-action.form), which say so when there is nothing to choose. */
    private static final String WORKER_INTRO = "Text_WorkerActionIntro";
    private static final String CLIENT_INTRO = "Text_ClientActionIntro";

    private final FieldAssignmentRepository assignments;
    private final Parties parties;

    FieldActionForms(FieldAssignmentRepository assignments, Parties parties) {
        this.assignments = assignments;
        this.parties = parties;
    }

    @Override
    public Set<String> formIds() {
        return Set.of(FieldActionProcess.WORKER_KEY, FieldActionProcess.CLIENT_KEY);
    }

    @Override
    public void fill(String formId, ObjectNode form, String userId) {
        boolean worker = FieldActionProcess.WORKER_KEY.equals(formId);
        List<FieldAssignment> choices = choices(worker, userId);
        ArrayNode values = form.arrayNode();
        List<String> currencies = choices.stream().map(FieldActionForms::currency).filter(Objects::nonNull).distinct().toList();
        // the other parties' names, looked up once each (a person's choices share a few companies or workers)
        Map<String, String> names = new HashMap<>();
        for (FieldAssignment a : choices) {
            String label = a.ref() + " · " + a.title() + " (" + otherParty(a, worker, names) + ")"
                    + (currencies.size() > 1 && currency(a) != null ? " · " + currency(a) : "");
            values.addObject().put("label", label).put("value", a.ref());
        }
        JsonNode components = form.path("components");
        for (JsonNode component : components) {
            if (!(component instanceof ObjectNode field)) {
                continue;
            }
            String key = field.path("key").asText("");
            if (FieldActionProcess.VAR_ASSIGNMENT_REF.equals(key) && "select".equals(field.path("type").asText())) {
                field.set("values", values);
            } else if (currencies.size() == 1 && FieldAssignmentProcess.VAR_REQUEST_AMOUNT.equals(key)) {
                field.put("label", "Amount in " + currencies.get(0) + " (decimal, e.g. 50.00)");
            } else if (currencies.size() == 1 && FieldAssignmentProcess.VAR_CANCEL_PAYMENT.equals(key)) {
                field.put("label", "Payment to the worker in " + currencies.get(0) + " (optional, decimal, e.g. 50.00)");
            } else if (choices.isEmpty() && (worker ? WORKER_INTRO : CLIENT_INTRO).equals(field.path("id").asText())) {
                field.put("text", field.path("text").asText() + "\n\n**" + (worker
                        ? "You have no assignment to act on right now: none is assigned to you."
                        : "Your company has no assignment to act on right now.") + "**");
            }
        }
    }

    private List<FieldAssignment> choices(boolean worker, String userId) {
        if (userId == null) {
            return List.of();
        }
        if (worker) {
            return parties.isFieldWorker(userId)
                    ? assignments.workerMayActOn(userId, parties.companiesOf(userId), MAX_CHOICES) : List.of();
        }
        return assignments.companiesMayActOn(parties.companiesOf(userId), MAX_CHOICES);
    }

    /** The worker sees the client company; the client sees the worker (or that there is none yet). */
    private String otherParty(FieldAssignment a, boolean worker, Map<String, String> names) {
        if (worker) {
            return names.computeIfAbsent(a.companyId(), parties::companyName);
        }
        if (a.workerId() == null) {
            return "no worker yet";
        }
        return names.computeIfAbsent(a.workerId(), parties::personName);
    }

    private static String currency(FieldAssignment a) {
        Money budget = a.budget();
        return budget == null ? null : budget.currencyCode();
    }
}
