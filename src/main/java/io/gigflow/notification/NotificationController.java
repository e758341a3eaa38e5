package io.gigflow.notification;

import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import org.camunda.bpm.engine.authorization.Groups;
import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's notifications and notification settings; nobody sees another's. */
@Tag(name = "Notifications")
@RestController
class NotificationController {

    record NotificationList(long unread, List<NotificationService.NotificationView> items) {
    }

    /**
     * A change of the settings: whether emails are sent, and the time zone notifications are written
     * in (an IANA zone such as {@code Europe/Berlin}). It names what it changes; a field left out
     * stays as it is.
     */
    record NotificationSettings(@Nullable Boolean emailEnabled, @Nullable String timeZone) {
    }

    /** The settings as they are: both, always. */
    record NotificationSettingsView(boolean emailEnabled, String timeZone) {
    }

    private final NotificationService notifications;
    private final CurrentUser currentUser;

    NotificationController(NotificationService notifications, CurrentUser currentUser) {
        this.notifications = notifications;
        this.currentUser = currentUser;
    }

    @Operation(summary = "The signed-in person's notifications, newest first, with the unread count")
    @GetMapping("/api/notifications")
    NotificationList list(@RequestParam(defaultValue = "false") boolean unread,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > NotificationService.MAX_LIMIT) {
            throw InvalidInputException.of("Notification list", "limit", "range",
                    "must be between 1 and " + NotificationService.MAX_LIMIT);
        }
        String user = currentUser.require();
        return new NotificationList(notifications.unreadCount(user), notifications.forUser(user, unread, limit));
    }

    @Operation(summary = "Mark a notification read")
    @PostMapping("/api/notifications/{id}/read")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void markRead(@PathVariable long id) {
        notifications.markRead(currentUser.require(), id);
    }

    @Operation(summary = "The signed-in person's notification settings")
    @GetMapping("/api/me/notification-settings")
    NotificationSettingsView settings() {
        return view(notifications.settings(currentUser.require()));
    }

    @Operation(summary = "Change the signed-in person's notification settings")
    @PutMapping("/api/me/notification-settings")
    NotificationSettingsView changeSettings(@RequestBody(required = false) NotificationSettings input) {
        if (input == null || input.emailEnabled() == null && input.timeZone() == null) {
            throw InvalidInputException.of("Notification settings", "emailEnabled", "required",
                    "is required, true or false (or timeZone, such as Europe/Berlin)");
        }
        ZoneId zone = null;
        if (input.timeZone() != null) {
            try {
                zone = ZoneId.of(input.timeZone().strip());
            } catch (DateTimeException e) {
                throw InvalidInputException.of("Notification settings", "timeZone", "value",
                        "must be a time zone such as Europe/Berlin, America/New_York or UTC");
            }
        }
        String user = currentUser.require();
        if (input.emailEnabled() != null) {
            notifications.setEmailEnabled(user, input.emailEnabled());
        }
        if (zone != null) {
            notifications.setTimeZone(user, zone);
        }
        return view(notifications.settings(user));
    }

    private static NotificationSettingsView view(NotificationService.Settings settings) {
        return new NotificationSettingsView(settings.emailEnabled(), settings.timeZone().getId());
    }

    /** The outbox's failed (or still pending) emails, oldest first, for operators (camunda-admin). */
    @Operation(summary = "The email outbox's failed or pending emails (operators)")
    @GetMapping("/api/operator/emails")
    List<NotificationService.OutboxEmail> outbox(@RequestParam(defaultValue = "FAILED") String status,
            @RequestParam(defaultValue = "100") int limit) {
        requireOperator();
        if (!status.equals(NotificationService.FAILED) && !status.equals(NotificationService.PENDING)) {
            throw InvalidInputException.of("Email outbox", "status", "value", "must be FAILED or PENDING");
        }
        if (limit < 1 || limit > NotificationService.MAX_LIMIT) {
            throw InvalidInputException.of("Email outbox", "limit", "range", "must be between 1 and " + NotificationService.MAX_LIMIT);
        }
        return notifications.outboxEmails(status, limit);
    }

    /** Sends a FAILED email again (after the SMTP server or the address was mended): 202, sent by the outbox at once. */
    @Operation(summary = "Send a failed email again (operators)")
    @PostMapping("/api/operator/emails/{id}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void retry(@PathVariable long id) {
        requireOperator();
        notifications.retryEmail(id);
    }

    private void requireOperator() {
        currentUser.require();
        if (!currentUser.groups().contains(Groups.CAMUNDA_ADMIN)) {
            throw new ForbiddenException("Only operators (camunda-admin) see and retry the email outbox");
        }
    }
}
