package io.gigflow.notification;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;

/** Camunda users for tests; a Spring context (and its database) may be shared by test classes. */
final class TestUsers {

    private TestUsers() {
    }

    /** Creates the user unless it exists; the password is {@code <id>-secret}. */
    static void ensure(IdentityService identityService, String id, String first, String last, String email) {
        if (identityService.createUserQuery().userId(id).count() > 0) {
            return;
        }
        User user = identityService.newUser(id);
        user.setFirstName(first);
        user.setLastName(last);
        user.setEmail(email);
        user.setPassword(password(id));
        identityService.saveUser(user);
    }

    static String password(String id) {
        return id + "-secret";
    }
}
