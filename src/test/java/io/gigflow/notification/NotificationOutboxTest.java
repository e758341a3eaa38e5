package io.gigflow.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.test.context.ActiveProfiles;

/** Without spring.mail.host there is no mail sender: emails stay in the outbox (the log). */
@SpringBootTest(properties = "logging.level.io.gigflow.notification=info") // as in production; the test profile quiets it
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
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

    @Test
    void theOutboxLogsTheNotificationsIdAndKeyButNotTheAddressSubjectOrBody(CapturedOutput output) {
        TestUsers.ensure(identityService, "olivia", "Olivia", "Outbox", "olivia.private@example.com");
        int before = output.getAll().length();

        notifications.notify("olivia", "payout-sent", "T-77", "Olivia, your payout is on its way", "IBAN DE89 3704 0044 0532 0130 00 gets 812.40 EUR");

        long id = jdbc.sql("select id from notification where dedup_key = 'payout-sent:T-77:olivia'").query(Long.class).single();
        String log = output.getAll().substring(before);
        assertThat(log).contains("Email of notification " + id + " [payout-sent:T-77:olivia] kept in the outbox");
        assertThat(log).doesNotContain("olivia.private@example.com", "your payout is on its way", "DE89", "812.40");
        // the email itself is kept whole in the outbox, for the operator who sends it
        assertThat(jdbc.sql("select email_to from notification where id = :id").param("id", id).query(String.class).single())
                .isEqualTo("olivia.private@example.com");
    }
}
