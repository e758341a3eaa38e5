package io.gigflow.milestone;

import io.gigflow.identity.Parties;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;

/**
 * The rules for a milestone's data, the same for a start through /engine-rest, the domain API
 * and an edit of a pending milestone. Every broken rule is named in one answer.
 *
 * @param autoApproveAfterDays days after a submission until it is approved automatically; null: as the company's setting
 */
record MilestoneInput(String companyId, String contractorId, String title, String description, OffsetDateTime deadline,
        Money amount, Integer autoApproveAfterDays, String deadlineReminder) {

    static final int TITLE_MAX = 200;
    static final int DESCRIPTION_MAX = 5000;
    static final int NOTE_MAX = 2000;
    static final int REASON_MAX = 1000;
    static final int AUTO_APPROVE_MAX_DAYS = 365;
    static final String REF_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    /** A date alone means the end of that day in UTC. */
    static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59);

    /** Reads and checks start variables into {@code errors}; null when anything is wrong. */
    static MilestoneInput fromStartVariables(Map<String, Object> variables, String businessKey, Parties parties,
            OffsetDateTime now, FieldErrors errors) {
        String companyId = errors.requiredText(ContractorMilestoneProcess.VAR_COMPANY_ID,
                variables.get(ContractorMilestoneProcess.VAR_COMPANY_ID), 64);
        if (companyId != null && parties.company(companyId).isEmpty()) {
            errors.add(ContractorMilestoneProcess.VAR_COMPANY_ID, "exists", "no company " + companyId);
        }
        String contractorId = errors.requiredText(ContractorMilestoneProcess.VAR_CONTRACTOR_ID,
                variables.get(ContractorMilestoneProcess.VAR_CONTRACTOR_ID), 64);
        if (contractorId != null && !parties.isContractor(contractorId)) {
            errors.add(ContractorMilestoneProcess.VAR_CONTRACTOR_ID, "exists", "no contractor " + contractorId);
        }
        String title = errors.requiredText(ContractorMilestoneProcess.VAR_TITLE, variables.get(ContractorMilestoneProcess.VAR_TITLE), TITLE_MAX);
        String description = description(errors, variables.get(ContractorMilestoneProcess.VAR_DESCRIPTION));
        OffsetDateTime deadline = deadline(errors, variables.get(ContractorMilestoneProcess.VAR_DEADLINE), now);
        Money amount = MoneyInput.positive(variables.get(ContractorMilestoneProcess.VAR_AMOUNT),
                variables.get(ContractorMilestoneProcess.VAR_CURRENCY), ContractorMilestoneProcess.VAR_AMOUNT,
                ContractorMilestoneProcess.VAR_CURRENCY, errors);
        Integer autoDays = autoApproveAfterDays(errors, variables.get(ContractorMilestoneProcess.VAR_AUTO_APPROVE_AFTER_DAYS));
        String reminder = errors.optionalText(ContractorMilestoneProcess.VAR_DEADLINE_REMINDER,
                variables.get(ContractorMilestoneProcess.VAR_DEADLINE_REMINDER), 40);
        if (reminder != null) {
            checkDuration(errors, reminder);
        }
        if (businessKey != null && !businessKey.matches(REF_PATTERN)) {
            errors.add("businessKey", "format", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new MilestoneInput(companyId, contractorId, title, description, deadline, amount, autoDays, reminder);
    }

    static String description(FieldErrors errors, Object raw) {
        return errors.optionalHtml(ContractorMilestoneProcess.VAR_DESCRIPTION, raw, DESCRIPTION_MAX);
    }

    /**
     * A required deadline in the future: an ISO-8601 date ({@code 2026-05-31}, the end of that day
     * in UTC), a date-time with offset ({@code 2026-05-31T17:00:00+02:00}), or a Date variable.
     */
    static OffsetDateTime deadline(FieldErrors errors, Object raw, OffsetDateTime now) {
        return deadline(errors, raw, now, null);
    }

    /** As {@link #deadline(FieldErrors, Object, OffsetDateTime)}; an edit may keep {@code current} even when it has passed. */
    static OffsetDateTime deadline(FieldErrors errors, Object raw, OffsetDateTime now, OffsetDateTime current) {
        String field = ContractorMilestoneProcess.VAR_DEADLINE;
        OffsetDateTime deadline;
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            errors.add(field, "required", "is required, a date such as \"2026-05-31\" or a date-time such as \"2026-05-31T17:00:00+02:00\"");
            return null;
        } else if (raw instanceof Date date) {
            deadline = date.toInstant().atOffset(ZoneOffset.UTC);
        } else if (raw instanceof String text) {
            deadline = parseDeadline(text.strip());
            if (deadline == null) {
                errors.add(field, "format", "must be a date such as \"2026-05-31\" or a date-time with offset such as "
                        + "\"2026-05-31T17:00:00+02:00\", not \"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"");
                return null;
            }
        } else {
            errors.add(field, "type", "must be a string such as \"2026-05-31\", not " + raw.getClass().getSimpleName());
            return null;
        }
        deadline = deadline.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        if (current != null && deadline.isEqual(current)) {
            return deadline;
        }
        if (!deadline.isAfter(now)) {
            errors.add(field, "future", "must be in the future");
            return null;
        }
        if (deadline.isAfter(now.plusYears(10))) {
            errors.add(field, "max", "must be at most ten years ahead");
            return null;
        }
        return deadline;
    }

    /** 0 to 365 days, 0 meaning never; null when not given (the company's setting applies). */
    static Integer autoApproveAfterDays(FieldErrors errors, Object raw) {
        String field = ContractorMilestoneProcess.VAR_AUTO_APPROVE_AFTER_DAYS;
        long days;
        if (raw == null) {
            return null;
        } else if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            days = ((Number) raw).longValue();
        } else if (raw instanceof String text && text.strip().matches("[0-9]{1,4}")) {
            days = Long.parseLong(text.strip());
        } else {
            errors.add(field, "type", "must be a whole number of days (0 to " + AUTO_APPROVE_MAX_DAYS + ", 0 = never)");
            return null;
        }
        if (days < 0 || days > AUTO_APPROVE_MAX_DAYS) {
            errors.add(field, "range", "must be between 0 (never) and " + AUTO_APPROVE_MAX_DAYS + " days");
            return null;
        }
        return (int) days;
    }

    /** The contractor's note on a completion: required, at most {@value #NOTE_MAX} characters. */
    static String note(FieldErrors errors, String field, Object raw) {
        return errors.requiredText(field, raw, NOTE_MAX);
    }

    /** The process variable form of a deadline: an ISO-8601 instant that timers and forms read alike. */
    static String iso(OffsetDateTime instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
    }

    private static OffsetDateTime parseDeadline(String text) {
        try {
            return LocalDate.parse(text).atTime(END_OF_DAY).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException notADate) {
            try {
                return OffsetDateTime.parse(text);
            } catch (DateTimeParseException notADateTime) {
                return null;
            }
        }
    }

    private static void checkDuration(FieldErrors errors, String reminder) {
        String field = ContractorMilestoneProcess.VAR_DEADLINE_REMINDER;
        try {
            Duration duration = Duration.parse(reminder);
            if (duration.isNegative() || duration.isZero()) {
                errors.add(field, "positive", "must be a positive duration");
            }
        } catch (DateTimeParseException e) {
            errors.add(field, "format", "must be an ISO-8601 duration such as P1D or PT12H, not \"" + reminder + "\"");
        }
    }
}
