/**
 * Notifications: every event a person should hear about becomes an in-app notification and,
 * where the recipient wants one, a single email, sent from the notification table itself (a
 * transactional outbox: {@link io.gigflow.notification.EmailOutbox}). Other features use only
 * {@link io.gigflow.notification.NotificationService}; the {@code notification} and
 * {@code user_settings} tables belong to this package alone.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity"})
package io.gigflow.notification;

import org.springframework.modulith.ApplicationModule;
