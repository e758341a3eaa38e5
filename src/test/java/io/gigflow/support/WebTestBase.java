package io.gigflow.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Arrays;
import java.util.List;
import org.camunda.bpm.admin.Admin;
import org.camunda.bpm.admin.impl.DefaultAdminRuntimeDelegate;
import org.camunda.bpm.cockpit.Cockpit;
import org.camunda.bpm.cockpit.impl.DefaultCockpitRuntimeDelegate;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.tasklist.Tasklist;
import org.camunda.bpm.tasklist.impl.DefaultTasklistRuntimeDelegate;
import org.camunda.bpm.welcome.Welcome;
import org.camunda.bpm.welcome.impl.DefaultWelcomeRuntimeDelegate;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application as its users meet it: a real server on a random port, the job executor
 * running, and a real SMTP server (GreenMail) receiving the emails. Every test class that
 * extends this shares one Spring context: /engine-rest finds its engine by the name
 * "default", which only one engine in the JVM can have, so every test that calls
 * /engine-rest extends this class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "camunda.bpm.generate-unique-process-engine-name=false",
        "camunda.bpm.process-engine-name=default",
        // retries a second apart instead of a minute, so that retried steps finish within a test
        "camunda.bpm.generic-properties.properties.failedJobRetryTimeCycle=R3/PT1S",
        // service orders whose start deadline of a second or two the job executor ends while a test watches
        "gigflow.service-order.min-start-deadline=PT1S",
        // fifteen attempts a second apart: under FaultInjectionTest's third of failing sends an email
        // that fails every attempt (0.3^15) practically never happens, one failing for good in 15 s
        "gigflow.mail.outbox.max-attempts=15"})
@ActiveProfiles("test")
public abstract class WebTestBase {

    /** One SMTP server for the JVM: the shared context keeps pointing at it. */
    protected static final GreenMail SMTP;

    static {
        ServerSetup setup = ServerSetupTest.SMTP.dynamicPort();
        SMTP = new GreenMail(setup);
        SMTP.start();
    }

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @LocalServerPort
    protected int port;

    @Autowired
    private ProcessEngine processEngine;

    /**
     * The webapps and /engine-rest find their engine, and the webapps their plugins, through
     * registries of the JVM that every application started in it sets, and clears when it stops:
     * another test's application (the postgres profile's, one refused at its start) must not
     * leave this context's webapps pointing at its engine or at nothing (a 500 from Tasklist).
     */
    @BeforeEach
    void serveThisContextsEngineAndWebapps() {
        ProcessEngines.registerProcessEngine(processEngine);
        if (Admin.getRuntimeDelegate() == null) {
            Admin.setAdminRuntimeDelegate(new DefaultAdminRuntimeDelegate());
        }
        if (Cockpit.getRuntimeDelegate() == null) {
            Cockpit.setCockpitRuntimeDelegate(new DefaultCockpitRuntimeDelegate());
        }
        if (Tasklist.getRuntimeDelegate() == null) {
            Tasklist.setTasklistRuntimeDelegate(new DefaultTasklistRuntimeDelegate());
        }
        if (Welcome.getRuntimeDelegate() == null) {
            Welcome.setRuntimeDelegate(new DefaultWelcomeRuntimeDelegate());
        }
    }

    /** The emails GreenMail received for {@code user} (its address is user@example.test), in arrival order. */
    protected static List<MimeMessage> emailsTo(String user) {
        return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> recipient(m).equals(user + "@example.test")).toList();
    }

    /** The subjects of {@link #emailsTo(String)}. */
    protected static List<String> subjectsTo(String user) {
        return emailsTo(user).stream().map(WebTestBase::subject).toList();
    }

    /** The plain text of an email: the whole of a text-only one, the text/plain part of a multipart/alternative one. */
    protected static String text(MimeMessage message) {
        try {
            Object content = message.getContent();
            if (content instanceof String text) {
                return text;
            }
            MimeMultipart parts = (MimeMultipart) content;
            for (int i = 0; i < parts.getCount(); i++) {
                if (parts.getBodyPart(i).isMimeType("text/plain")) {
                    return ((String) parts.getBodyPart(i).getContent()).replace("\r\n", "\n");
                }
            }
            throw new IllegalStateException("no text/plain part in " + message.getContentType());
        } catch (MessagingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String recipient(MimeMessage message) {
        try {
            return ((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
