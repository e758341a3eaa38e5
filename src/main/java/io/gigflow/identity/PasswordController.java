package io.gigflow.identity;

import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Locale;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.identity.PasswordPolicyResult;
import org.camunda.bpm.engine.identity.PasswordPolicyRule;
import org.camunda.bpm.engine.identity.User;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A signed-in person changes their own password: the current one is checked (a wrong one is
 * a failed sign-in like any other, with the same back-off), the new one must satisfy the
 * password policy where it is on, and the change runs as the person, with the authorization
 * every user holds on their own user and on nobody else's.
 */
@Tag(name = "Identity")
@RestController
class PasswordController {

    record PasswordChange(String currentPassword, String newPassword) {
    }

    private final IdentityService identityService;
    private final CurrentUser currentUser;
    private final boolean policyOn;

    PasswordController(IdentityService identityService, CurrentUser currentUser, ProcessEngineConfiguration engine) {
        this.identityService = identityService;
        this.currentUser = currentUser;
        this.policyOn = engine.isEnablePasswordPolicy();
    }

    @Operation(summary = "Change the own password")
    @ApiResponse(responseCode = "204", description = "Changed")
    @PutMapping("/api/me/password")
    ResponseEntity<Void> change(@RequestBody PasswordChange change) {
        String userId = currentUser.require();
        FieldErrors errors = new FieldErrors();
        if (change.currentPassword() == null || change.currentPassword().isEmpty()) {
            errors.add("currentPassword", "required", "is required");
        }
        if (change.newPassword() == null || change.newPassword().isBlank()) {
            errors.add("newPassword", "required", "is required");
        }
        errors.throwIfAny("Invalid password change");
        if (!identityService.checkPassword(userId, change.currentPassword())) {
            throw InvalidInputException.of("Invalid password change", "currentPassword", "mismatch", "is not your current password");
        }
        User user = identityService.createUserQuery().userId(userId).singleResult();
        if (policyOn) {
            PasswordPolicyResult result = identityService.checkPasswordAgainstPolicy(change.newPassword(), user);
            for (PasswordPolicyRule rule : result.getViolatedRules()) {
                errors.add("newPassword", ruleName(rule), "must contain " + PasswordRules.describe(rule));
            }
            errors.throwIfAny("The new password does not meet the password policy");
        }
        user.setPassword(change.newPassword());
        identityService.saveUser(user);
        return ResponseEntity.noContent().build();
    }

    /** PASSWORD_POLICY_UPPERCASE: uppercase. */
    private static String ruleName(PasswordPolicyRule rule) {
        String placeholder = rule.getPlaceholder() == null ? "policy" : rule.getPlaceholder();
        return placeholder.replaceFirst("^PASSWORD_POLICY_", "").toLowerCase(Locale.ROOT);
    }
}
