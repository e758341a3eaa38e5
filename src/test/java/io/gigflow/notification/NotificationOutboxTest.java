package io.gigflow.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.test.context.ActiveProfiles;

/** Without spring.mail.host there is no mail sender: emails stay in the outbox (the log). */
@SpringBootTest
@ActiveProfiles("test")
class NotificationOutboxTest {

    // listening, but the application is not told about it: nothing may arrive here
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Autowired
    NotificationService notifications;

    @Autowired
    IdentityService identityService;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Test
    void withoutAnSmtpServerTheEmailIsKeptInTheOutboxOnce() {
        // given no mail server is configured and alice has an address
        assertThat(context.getBeanNamesForType(JavaMailSender.class)).isEmpty();
        TestUsers.ensure(identityService, "alice", "Alice", "Abbot", "alice@example.com");

        // when she is notified twice about the same event
        notifications.notify("alice", "task-sent", "T-1", "A task for you", "Body");
        notifications.notify("alice", "task-sent", "T-1", "A task for you", "Body");

        // then one notification is kept with its email in the outbox, and nothing is sent
        assertThat(jdbc.sql("select email_status from notification where dedup_key = 'task-sent:T-1:alice'")
                .query(String.class).list()).containsExactly(NotificationService.OUTBOX);
        assertThat(notifications.forUser("alice", true, 50)).singleElement()
                .satisfies(n -> assertThat(n.emailStatus()).isEqualTo("OUTBOX"));
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }
}
