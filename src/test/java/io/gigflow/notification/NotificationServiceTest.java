package io.gigflow.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.gigflow.shared.FaultInjector;
import io.gigflow.support.CountingTcpProxy;
import io.gigflow.support.Http;
import io.gigflow.shared.NotFoundException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

// emails are sent from the outbox; the test profile retries a failed one a second later, four attempts in all
@SpringBootTest
@ActiveProfiles("test")
class NotificationServiceTest {

    // one server for the whole class: the Spring context is built once and keeps its port
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    // between the application and the server: counts the SMTP connections, and cuts them as a server that closes idle ones
    static final CountingTcpProxy connections = new CountingTcpProxy(() -> smtp.getSmtp().getPort());

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", connections::port);
    }

    @Autowired
    NotificationService notifications;

    @Autowired
    FaultInjector faultInjector;

    @Autowired
    IdentityService identityService;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RepositoryService repositoryService;

    @Autowired
    RuntimeService runtimeService;

    @Autowired
    PlatformTransactionManager transactionManager;

    @BeforeEach
    void givenAnEmptyMailboxAndKnownUsers() throws Exception {
        awaitNoEmailInFlight();
        smtp.purgeEmailFromAllMailboxes();
        faultInjector.reset();
        TestUsers.ensure(identityService, "alice", "Alice", "Abbot", "alice@example.com");
        TestUsers.ensure(identityService, "bob", "Bob", "Brown", "bob@example.com");
        TestUsers.ensure(identityService, "carol", "Carol", "Clark", null);
        notifications.setEmailEnabled("alice", true);
        notifications.setEmailEnabled("bob", true);
    }

    /** Waits until every email the tests wrote has been tried to the end (sent, or FAILED after its last attempt). */
    private void awaitNoEmailInFlight() {
        long deadline = System.currentTimeMillis() + 30_000;
        while (jdbc.sql("select count(*) from notification where email_status = 'PENDING'").query(Long.class).single() > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("email steps still running after 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private long notificationId(String dedupKey) {
        return jdbc.sql("select id from notification where dedup_key = :key").param("key", dedupKey).query(Long.class).single();
    }

    @AfterEach
    void clearFaults() {
        faultInjector.reset();
    }

    @Test
    void aRetriedStepWritesOneNotificationAndSendsOneEmail() throws Exception {
        // given a step that notifies alice, and when the engine runs it twice
        notifications.notify("alice", "task-sent", "T-1", "A task for you: Logo", "Acme sent you the task Logo — 120.00 EUR.");
        notifications.notify("alice", "task-sent", "T-1", "A task for you: Logo", "Acme sent you the task Logo — 120.00 EUR.");

        // then alice has one notification and, once the email step ran, one email
        awaitNoEmailInFlight();
        assertThat(rowsOf("task-sent:T-1:alice")).containsExactly(NotificationService.SENT);
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage email = received[0];
        assertThat(email.getSubject()).isEqualTo("A task for you: Logo");
        assertThat(email.getAllRecipients()).extracting(Object::toString).containsExactly("Alice Abbot <alice@example.com>");
        assertThat(email.getFrom()).extracting(Object::toString).containsExactly("gigflow <no-reply@gigflow.local>");
        assertThat(GreenMailUtil.getBody(email)).contains("Acme sent you the task Logo");
        assertThat(((String) email.getContent()).strip()).isEqualTo("Acme sent you the task Logo — 120.00 EUR.");
        assertThat(email.getContentType()).containsIgnoringCase("charset=UTF-8");
        assertThat(email.getHeader(NotificationService.DEDUP_HEADER)).containsExactly("task-sent:T-1:alice");
        // a copy sent again after a crash would carry the same Message-ID (see ClusterTest)
        assertThat(email.getMessageID()).isEqualTo(notifications.messageId(notificationId("task-sent:T-1:alice"), "task-sent:T-1:alice"))
                .matches("<notification-\\d+\\.[0-9a-f]{16}@gigflow\\.local>");
        assertThat(jdbc.sql("select email_sent_at from notification where dedup_key = 'task-sent:T-1:alice'")
                .query(OffsetDateTime.class).single()).isNotNull();
    }

    @Test
    void anEmailProcessInstanceOfAnEarlierVersionSendsItsEmailOnceAsTextAndHtml() throws Exception {
        // given a PENDING email with its HTML, not yet due for the outbox, and the email process an earlier version started for it
        jdbc.sql("""
                        insert into notification (dedup_key, recipient_id, event, reference, subject, body, html_body, created_at,
                            email_status, email_to, email_name, email_next_attempt_at)
                        values ('legacy:T-9:alice', 'alice', 'legacy', 'T-9', 'Paid: Logo', 'You were paid 1,250.00 EUR.',
                            '<!DOCTYPE html><html><body><p>You were paid 1,250.00 EUR.</p></body></html>', :now, 'PENDING',
                            'alice@example.com', 'Alice Abbot', :later)""")
                .param("now", OffsetDateTime.now()).param("later", OffsetDateTime.now().plusHours(1))
                .update();
        long id = notificationId("legacy:T-9:alice");
        repositoryService.createDeployment().addModelInstance("legacy-notification.bpmn", Bpmn.createExecutableProcess("legacyNotification")
                .startEvent().serviceTask().camundaDelegateExpression("${sendEmailDelegate}").endEvent().done()).deploy();

        // when the instance runs its step
        runtimeService.startProcessInstanceByKey("legacyNotification", Map.of("notificationId", id));

        // then the email went out once, as text and HTML, and is SENT
        awaitNoEmailInFlight();
        assertThat(rowsOf("legacy:T-9:alice")).containsExactly(NotificationService.SENT);
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) received[0].getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat((String) parts.getBodyPart(0).getContent()).startsWith("Hello Alice Abbot,").contains("You were paid 1,250.00 EUR.");
        assertThat(parts.getBodyPart(1).isMimeType("text/html")).isTrue();
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<p>You were paid 1,250.00 EUR.</p>");
    }

    @Test
    void theSameEventForAnotherReferenceOrRecipientIsANewNotification() {
        // when one event reaches two people, and another reference reaches alice
        notifications.notifyAll(List.of("alice", "bob", "alice"), "task-sent", "T-2", "A task", "Body");
        notifications.notify("alice", "task-sent", "T-3", "Another task", "Body");

        // then each person gets each one once
        awaitNoEmailInFlight();
        assertThat(rowsOf("task-sent:T-2:alice")).hasSize(1);
        assertThat(rowsOf("task-sent:T-2:bob")).hasSize(1);
        assertThat(rowsOf("task-sent:T-3:alice")).hasSize(1);
        assertThat(smtp.getReceivedMessages()).hasSize(3);
    }

    @Test
    void aUserWhoSwitchedEmailOffGetsTheInAppNotificationOnly() {
        // given bob switched email off
        notifications.setEmailEnabled("bob", false);
        assertThat(notifications.emailEnabled("bob")).isFalse();

        // when he is notified
        notifications.notify("bob", "task-sent", "T-4", "A task", "Body");

        // then the notification is there, its email disabled, and nothing was sent
        assertThat(rowsOf("task-sent:T-4:bob")).containsExactly(NotificationService.DISABLED);
        assertThat(notifications.unreadCount("bob")).isPositive();
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void aUserWithoutAnEmailAddressGetsTheInAppNotificationOnly() {
        notifications.notify("carol", "task-sent", "T-5", "A task", "Body");

        assertThat(rowsOf("task-sent:T-5:carol")).containsExactly(NotificationService.DISABLED);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void anEmailThatFailsIsSentOnceWhenItIsRetried() {
        // given the mail step fails once
        faultInjector.failNext(FaultInjector.EMAIL, 1);

        // when alice is notified, the in-app notification is there at once, the email still due
        notifications.notify("alice", "task-paid", "T-6", "Paid", "You were paid.");
        assertThat(rowsOf("task-paid:T-6:alice")).containsExactly(NotificationService.PENDING);

        // then the outbox tries the failed email again, and one email goes out
        awaitNoEmailInFlight();
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(rowsOf("task-paid:T-6:alice")).containsExactly(NotificationService.SENT);
        notifications.sendEmail(notificationId("task-paid:T-6:alice"));
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aStepThatRollsBackLeavesNoNotificationAndItsRetrySendsOneEmail() {
        // given a step whose transaction rolls back after it notified alice
        TransactionTemplate step = new TransactionTemplate(transactionManager);
        step.executeWithoutResult(status -> {
            notifications.notify("alice", "task-declined", "T-7", "Declined", "Bob declined.");
            status.setRollbackOnly();
        });
        assertThat(rowsOf("task-declined:T-7:alice")).isEmpty();

        // when the engine retries the step, and this time it commits
        step.executeWithoutResult(status -> notifications.notify("alice", "task-declined", "T-7", "Declined", "Bob declined."));

        // then there is one notification, and the email went out once
        awaitNoEmailInFlight();
        assertThat(rowsOf("task-declined:T-7:alice")).containsExactly(NotificationService.SENT);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void anEmailWhoseEveryAttemptFailsIsFailedUntilAnOperatorRetriesItAndThenSentOnce() {
        // given the SMTP server refuses every attempt (four with the test profile's settings)
        faultInjector.failNext(FaultInjector.EMAIL, 4);
        notifications.notify("bob", "task-paid", "T-8", "Paid", "You were paid.");
        long id = notificationId("task-paid:T-8:bob");

        // then after the last attempt the email is FAILED, nothing was sent, and operators see it with its error
        awaitNoEmailInFlight();
        assertThat(rowsOf("task-paid:T-8:bob")).containsExactly(NotificationService.FAILED);
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(notifications.outbox().failed()).isGreaterThanOrEqualTo(1);
        assertThat(notifications.outboxEmails(NotificationService.FAILED, 200)).anySatisfy(email -> {
            assertThat(email.id()).isEqualTo(id);
            assertThat(email.attempts()).isEqualTo(4);
            assertThat(email.lastError()).contains("injected fault in step email");
        });

        // when the operator retries it, it goes out once; a second retry is refused, the email being SENT
        notifications.retryEmail(id);
        awaitNoEmailInFlight();
        assertThat(rowsOf("task-paid:T-8:bob")).containsExactly(NotificationService.SENT);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThatThrownBy(() -> notifications.retryEmail(id)).isInstanceOf(io.gigflow.shared.ConflictException.class)
                .hasMessageContaining("SENT");
        assertThatThrownBy(() -> notifications.retryEmail(Long.MAX_VALUE)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void emailIsEnabledUntilTheUserSwitchesItOff() {
        TestUsers.ensure(identityService, "dave", "Dave", "Dunn", "dave@example.com");
        assertThat(notifications.emailEnabled("dave")).isTrue();

        notifications.setEmailEnabled("dave", false);
        notifications.setEmailEnabled("dave", false);
        assertThat(notifications.emailEnabled("dave")).isFalse();

        notifications.setEmailEnabled("dave", true);
        assertThat(notifications.emailEnabled("dave")).isTrue();
    }

    @Test
    void notificationsAreListedNewestFirstAndCanBeMarkedRead() {
        // given three notifications for erin
        TestUsers.ensure(identityService, "erin", "Erin", "Ezra", "erin@example.com");
        notifications.notify("erin", "e", "1", "first", "b");
        notifications.notify("erin", "e", "2", "second", "b");
        notifications.notify("erin", "e", "3", "third", "b");

        // when she reads the second
        long second = notifications.forUser("erin", false, 10).get(1).id();
        notifications.markRead("erin", second);
        notifications.markRead("erin", second);

        // then lists and counts follow
        assertThat(notifications.forUser("erin", false, 10)).extracting(NotificationService.NotificationView::subject)
                .containsExactly("third", "second", "first");
        assertThat(notifications.forUser("erin", true, 10)).extracting(NotificationService.NotificationView::subject)
                .containsExactly("third", "first");
        assertThat(notifications.forUser("erin", false, 1)).hasSize(1);
        assertThat(notifications.unreadCount("erin")).isEqualTo(2);
        assertThatThrownBy(() -> notifications.markRead("alice", second))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void emailsOneAfterTheOtherGoOverOneSmtpConnectionWhichClosesWhenIdle() {
        // given no connection is open (the test profile closes one idle for 3 s)
        awaitNoSmtpConnectionOpen();
        int openedBefore = connections.opened();

        // when alice gets three emails, each sent before the next is written
        for (String ref : List.of("T-21", "T-22", "T-23")) {
            notifications.notify("alice", "task-paid", ref, "Paid " + ref, "You were paid for " + ref + ".");
            awaitNoEmailInFlight();
        }

        // then all three went out over one connection, which is closed once it waited its time
        assertThat(smtp.getReceivedMessages()).extracting(MimeMessage::getSubject).containsExactly("Paid T-21", "Paid T-22", "Paid T-23");
        assertThat(connections.opened() - openedBefore).isEqualTo(1);
        awaitNoSmtpConnectionOpen();
        assertThat(connections.opened() - openedBefore).isEqualTo(1);
    }

    @Test
    void anEmailOverAConnectionTheServerClosedGoesOutOverANewOneInTheSameAttempt() {
        // given an email went out and its connection waits for the next one
        awaitNoSmtpConnectionOpen();
        int openedBefore = connections.opened();
        notifications.notify("bob", "task-paid", "T-24", "Paid T-24", "You were paid.");
        awaitNoEmailInFlight();
        assertThat(connections.openNow()).isEqualTo(1);

        // when the server closes it, and bob is notified again
        connections.cutAll();
        notifications.notify("bob", "task-paid", "T-25", "Paid T-25", "You were paid again.");

        // then the email went out at its first attempt, over a new connection
        awaitNoEmailInFlight();
        assertThat(rowsOf("task-paid:T-25:bob")).containsExactly(NotificationService.SENT);
        assertThat(jdbc.sql("select email_attempts from notification where dedup_key = 'task-paid:T-25:bob'").query(Integer.class).single())
                .isZero();
        assertThat(smtp.getReceivedMessages()).extracting(MimeMessage::getSubject).containsExactly("Paid T-24", "Paid T-25");
        assertThat(connections.opened() - openedBefore).isEqualTo(2);
    }

    private void awaitNoSmtpConnectionOpen() {
        Http.await("no SMTP connection is open", () -> connections.openNow() == 0);
    }

    private List<String> rowsOf(String dedupKey) {
        return jdbc.sql("select email_status from notification where dedup_key = :key")
                .param("key", dedupKey).query(String.class).list();
    }
}
