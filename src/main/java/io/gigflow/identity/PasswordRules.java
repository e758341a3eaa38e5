package io.gigflow.identity;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.identity.PasswordPolicyRule;

/** Camunda's password policy rules in words a person can act on. */
final class PasswordRules {

    private PasswordRules() {
    }

    /** For example "at least 10 characters"; the rule's own placeholder for rules of a custom policy. */
    static String describe(PasswordPolicyRule rule) {
        Map<String, String> p = rule.getParameters() == null ? Map.of() : rule.getParameters();
        String placeholder = rule.getPlaceholder() == null ? "" : rule.getPlaceholder();
        return switch (placeholder) {
            case "PASSWORD_POLICY_LENGTH" -> "at least " + p.get("minLength") + " characters";
            case "PASSWORD_POLICY_LOWERCASE" -> "at least " + p.get("minLowerCase") + " lower-case letter(s)";
            case "PASSWORD_POLICY_UPPERCASE" -> "at least " + p.get("minUpperCase") + " upper-case letter(s)";
            case "PASSWORD_POLICY_DIGIT" -> "at least " + p.get("minDigit") + " digit(s)";
            case "PASSWORD_POLICY_SPECIAL" -> "at least " + p.get("minSpecial") + " special character(s)";
            case "PASSWORD_POLICY_USER_DATA" -> "none of the user's id, name or email";
            default -> placeholder + (p.isEmpty() ? "" : " " + p);
        };
    }

    static String describe(List<PasswordPolicyRule> violated) {
        return "must contain " + String.join(", ", violated.stream().map(PasswordRules::describe).toList());
    }
}
