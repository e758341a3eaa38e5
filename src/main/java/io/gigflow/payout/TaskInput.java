package io.gigflow.payout;

import io.gigflow.identity.Parties;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The rules for a task's data, the same for a start through /engine-rest, the domain API
 * and an edit of a draft. Every broken rule is named in one answer.
 */
record TaskInput(String companyId, String contractorId, String title, String description, Money amount,
        String acceptanceReminder) {

    static final int TITLE_MAX = 200;
    static final int DESCRIPTION_MAX = 5000;
    static final String REF_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    /** Reads and checks start variables; throws {@link io.gigflow.shared.InvalidInputException}. */
    static TaskInput fromStartVariables(Map<String, Object> variables, String businessKey, Parties parties,
            String defaultReminder) {
        FieldErrors errors = new FieldErrors();
        String companyId = errors.requiredText(TaskPayoutProcess.VAR_COMPANY_ID, variables.get(TaskPayoutProcess.VAR_COMPANY_ID), 64);
        if (companyId != null && parties.company(companyId).isEmpty()) {
            errors.add(TaskPayoutProcess.VAR_COMPANY_ID, "exists", "no company " + companyId);
        }
        String contractorId = errors.requiredText(TaskPayoutProcess.VAR_CONTRACTOR_ID, variables.get(TaskPayoutProcess.VAR_CONTRACTOR_ID), 64);
        if (contractorId != null && !parties.isContractor(contractorId)) {
            errors.add(TaskPayoutProcess.VAR_CONTRACTOR_ID, "exists", "no contractor " + contractorId);
        }
        String title = errors.requiredText(TaskPayoutProcess.VAR_TITLE, variables.get(TaskPayoutProcess.VAR_TITLE), TITLE_MAX);
        String description = description(errors, variables.get(TaskPayoutProcess.VAR_DESCRIPTION));
        Money amount = MoneyInput.positive(variables.get(TaskPayoutProcess.VAR_AMOUNT), variables.get(TaskPayoutProcess.VAR_CURRENCY),
                TaskPayoutProcess.VAR_AMOUNT, TaskPayoutProcess.VAR_CURRENCY, errors);
        String reminder = errors.optionalText(TaskPayoutProcess.VAR_ACCEPTANCE_REMINDER,
                variables.get(TaskPayoutProcess.VAR_ACCEPTANCE_REMINDER), 40);
        if (reminder != null) {
            checkDuration(errors, reminder);
        }
        if (businessKey != null && !businessKey.matches(REF_PATTERN)) {
            errors.add("businessKey", "format", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        errors.throwIfAny("Invalid task");
        return new TaskInput(companyId, contractorId, title, description, amount, reminder == null ? defaultReminder : reminder);
    }

    static String description(FieldErrors errors, Object raw) {
        return errors.optionalHtml(TaskPayoutProcess.VAR_DESCRIPTION, raw, DESCRIPTION_MAX);
    }

    private static void checkDuration(FieldErrors errors, String reminder) {
        try {
            Duration duration = Duration.parse(reminder);
            if (duration.isNegative() || duration.isZero()) {
                errors.add(TaskPayoutProcess.VAR_ACCEPTANCE_REMINDER, "positive", "must be a positive duration");
            }
        } catch (DateTimeParseException e) {
            errors.add(TaskPayoutProcess.VAR_ACCEPTANCE_REMINDER, "format",
                    "must be an ISO-8601 duration such as P3D or PT12H, not \"" + reminder + "\"");
        }
    }
}
