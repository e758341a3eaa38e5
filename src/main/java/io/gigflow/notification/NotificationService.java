package io.gigflow.notification;

import io.gigflow.identity.Parties;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.TimeSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.lang.Nullable;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells people about events: an in-app notification always, an email where the recipient
 * has an address and has not switched email off.
 *
 * <p>{@link #notify} writes the in-app notification in the caller's transaction, so it
 * commits with the business step it reports (or not at all), once per dedup key
 * ({@code event:reference[:occurrence]:recipient}). An email that is due is not sent there:
 * the row is written {@code PENDING} in the same transaction (a transactional outbox) and
 * {@link EmailOutbox} sends it after the commit, with retries and, when they run out, the state
 * {@code FAILED} that operators see and retry. The email is marked sent in a transaction of its
 * own the moment the SMTP server took it, so a retry never sends it twice.
 *
 * <p>What a notification says comes from a {@link Notice}: its templates are written for the
 * recipient when the notification is (their name, their time zone: {@code user_settings.time_zone},
 * else {@code gigflow.notifications.default-time-zone}), and the row keeps the subject, the plain
 * text and the HTML, so the outbox sends what the recipient also reads in the app. The email is
 * {@code multipart/alternative}: the text, and the HTML. A notification written from a subject and
 * a body the caller composed is sent as that plain text alone.
 */
@Service
public class NotificationService {

    /** A notification as its recipient sees it; {@code readAt} is null while unread. */
    public record NotificationView(long id, String event, @Nullable String reference, String subject, String body,
            OffsetDateTime createdAt, @Nullable OffsetDateTime readAt, String emailStatus) {
    }

    /**
     * Emails waiting to be sent: how many, and since when the oldest waits (null when none does);
     * and how many failed every attempt and wait for an operator.
     */
    public record Outbox(long pending, OffsetDateTime oldestPendingSince, long failed) {
    }

    /** An email as operators see it in the outbox (no address, subject or body: those are the recipient's). */
    public record OutboxEmail(long id, String dedupKey, String recipientId, String event, @Nullable String reference,
            String emailStatus, int attempts, @Nullable String lastError, OffsetDateTime createdAt) {
    }

    /** Header that carries the dedup key, so a mail system can recognise a repeated email. */
    public static final String DEDUP_HEADER = "X-Gigflow-Notification";

    /** The most notifications one {@link #forUser} call returns. */
    public static final int MAX_LIMIT = 200;

    /** The last line of every email's text part; {@code notifications/layout.html} says the same. */
    static final String FOOTER = "You get this email from gigflow. Switch emails off, or choose your time zone, with"
            + " PUT /api/me/notification-settings.";

    /** The longest HTML body a notification keeps; a longer one is sent as text only. */
    private static final int MAX_HTML = 32_000;

    static final String PENDING = "PENDING";
    static final String SENT = "SENT";
    static final String OUTBOX = "OUTBOX";
    static final String DISABLED = "DISABLED";
    static final String FAILED = "FAILED";

    private static final Logger log = LoggerFactory.getLogger(NotificationService.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;
    private final ObjectProvider<JavaMailSender> mailSender;
    private final Parties parties;
    private final FaultInjector faultInjector;
    private final TimeSource timeSource;
    private final String from;
    private final EmailOutbox emails;
    private final NoticeTemplates templates;
    private final TaskService taskService;
    private final IdentityService identityService;
    private final ZoneId defaultZone;
    private final String publicUrl;

    NotificationService(JdbcClient jdbc, PlatformTransactionManager transactionManager,
            ObjectProvider<JavaMailSender> mailSender, Parties parties, FaultInjector faultInjector,
            TimeSource timeSource, @Value("${gigflow.mail.from}") String from, EmailOutbox emails, NoticeTemplates templates,
            TaskService taskService, IdentityService identityService,
            @Value("${gigflow.notifications.default-time-zone:UTC}") String defaultZone,
            @Value("${gigflow.public-url:http://localhost:8080}") String publicUrl) {
        this.emails = emails;
        this.templates = templates;
        this.taskService = taskService;
        this.identityService = identityService;
        try {
            this.defaultZone = ZoneId.of(defaultZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("gigflow.notifications.default-time-zone must be a time zone such as UTC or Europe/Berlin, not "
                    + defaultZone, e);
        }
        if (!publicUrl.matches("https?://[^\\s]+")) {
            throw new IllegalArgumentException("gigflow.public-url must be an http(s) address, not " + publicUrl);
        }
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        emails.attach(this);
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.mailSender = mailSender;
        this.parties = parties;
        this.faultInjector = faultInjector;
        this.timeSource = timeSource;
        this.from = from;
    }

    /**
     * Writes the in-app notification for this event unless it exists, and starts the sending
     * of its email where one is due. Part of the caller's transaction.
     *
     * @param reference what the event is about (a business key such as {@code T-42}); may be
     *                  null for events that happen once per recipient
     */
    public void notify(String recipientUserId, String event, String reference, String subject, String body) {
        notify(recipientUserId, event, reference, null, subject, body);
    }

    /**
     * {@link #notify(String, String, String, String, String)} for an event that can happen more
     * than once about the same reference (a second delivery of an order): {@code occurrence}
     * tells the occurrences apart (for instance the activity instance of the step).
     */
    public void notify(String recipientUserId, String event, String reference, String occurrence, String subject, String body) {
        require(subject, "subject", 300);
        require(body, "body", 4000);
        write(recipientUserId, event, reference, occurrence, (person, zone) -> new NoticeTemplates.Rendered(subject, body, null));
    }

    /** {@link #notify(String, String, String, String, Notice)} for an event that happens once about its reference. */
    public void notify(String recipientUserId, String event, String reference, Notice notice) {
        notify(recipientUserId, event, reference, null, notice);
    }

    /**
     * Writes the notification of this event from {@code notice}'s templates, for this recipient
     * (their name and time zone), unless it exists; the dedup key is the same as for a subject and
     * body ({@code event:reference[:occurrence]:recipient}).
     */
    public void notify(String recipientUserId, String event, String reference, String occurrence, Notice notice) {
        Objects.requireNonNull(notice, "notice");
        write(recipientUserId, event, reference, occurrence, (person, zone) -> {
            String name = person.map(Parties.Person::name).orElse(recipientUserId);
            String taskId = notice.processInstanceId() == null ? null : openTask(notice.processInstanceId(), recipientUserId);
            String link = taskId != null ? publicUrl + "/camunda/app/tasklist/default/#/?task=" + taskId
                    : notice.apiPath() == null ? null : publicUrl + notice.apiPath();
            NoticeTemplates.Rendered rendered = templates.render(notice, name, zone, link, taskId != null);
            String html = rendered.html();
            if (html.length() > MAX_HTML) {
                log.warn("The HTML of notice {} is {} characters, more than {}: its email is sent as text only", notice.name(),
                        html.length(), MAX_HTML);
                html = null;
            }
            return new NoticeTemplates.Rendered(shorten(rendered.subject(), 300), shorten(rendered.text(), 4000), html);
        });
    }

    /** How the text of a notification is written for its recipient (who they are, and their time zone). */
    private interface Writer {
        NoticeTemplates.Rendered write(Optional<Parties.Person> person, ZoneId zone);
    }

    private void write(String recipientUserId, String event, String reference, String occurrence, Writer writer) {
        require(recipientUserId, "recipientUserId", 64);
        require(event, "event", 64);
        if (reference != null && reference.length() > 200) {
            throw new IllegalArgumentException("reference must be at most 200 characters");
        }
        String dedupKey = event + ":" + (reference == null ? "" : reference) + ":"
                + (occurrence == null ? "" : occurrence + ":") + recipientUserId;
        if (dedupKey.length() > 300) {
            throw new IllegalArgumentException("event, reference, occurrence and recipient together must be at most 300 characters");
        }
        if (find(dedupKey).isEmpty()) {
            Stored stored = create(dedupKey, recipientUserId, event, reference, writer);
            if (PENDING.equals(stored.emailStatus())) {
                emails.sendAfterCommit();
            }
        }
    }

    /**
     * Sends the email of a notification if it is still due; {@link EmailOutbox} calls it once it
     * has claimed the email, and again after a failure.
     */
    void sendEmail(long notificationId) {
        Stored stored = findById(notificationId).orElseThrow(() -> new NotFoundException("No notification " + notificationId));
        if (PENDING.equals(stored.emailStatus())) {
            send(stored);
        }
    }

    /** {@link #notify} for each distinct recipient; each has its own dedup key. */
    public void notifyAll(Collection<String> recipientUserIds, String event, String reference, String subject, String body) {
        notifyAll(recipientUserIds, event, reference, null, subject, body);
    }

    /** {@link #notify(String, String, String, String, String, String)} for each distinct recipient. */
    public void notifyAll(Collection<String> recipientUserIds, String event, String reference, String occurrence, String subject,
            String body) {
        for (String recipient : new LinkedHashSet<>(recipientUserIds)) {
            notify(recipient, event, reference, occurrence, subject, body);
        }
    }

    /** {@link #notify(String, String, String, String, Notice)} for each distinct recipient, once about the reference. */
    public void notifyAll(Collection<String> recipientUserIds, String event, String reference, Notice notice) {
        notifyAll(recipientUserIds, event, reference, null, notice);
    }

    /** {@link #notify(String, String, String, String, Notice)} for each distinct recipient, each in their own time zone. */
    public void notifyAll(Collection<String> recipientUserIds, String event, String reference, String occurrence, Notice notice) {
        for (String recipient : new LinkedHashSet<>(recipientUserIds)) {
            notify(recipient, event, reference, occurrence, notice);
        }
    }

    /** A user's notifications, newest first; at most {@code limit} (1 to {@value #MAX_LIMIT}). */
    public List<NotificationView> forUser(String userId, boolean unreadOnly, int limit) {
        int rows = Math.max(1, Math.min(limit, MAX_LIMIT));
        String unread = unreadOnly ? "and read_at is null" : "";
        return jdbc.sql("""
                        select id, event, reference, subject, body, created_at, read_at, email_status
                        from notification
                        where recipient_id = :user %s
                        order by id desc
                        fetch first %d rows only""".formatted(unread, rows))
                .param("user", userId)
                .query((rs, n) -> new NotificationView(rs.getLong("id"), rs.getString("event"), rs.getString("reference"),
                        rs.getString("subject"), rs.getString("body"), rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("read_at", OffsetDateTime.class), rs.getString("email_status")))
                .list();
    }

    /**
     * Marks one of the user's notifications read; marking it again keeps the first time.
     *
     * @throws NotFoundException when the user has no notification with this id
     */
    public void markRead(String userId, long id) {
        int updated = jdbc.sql("update notification set read_at = :now where id = :id and recipient_id = :user and read_at is null")
                .param("now", timeSource.now()).param("id", id).param("user", userId)
                .update();
        if (updated == 0) {
            long own = jdbc.sql("select count(*) from notification where id = :id and recipient_id = :user")
                    .param("id", id).param("user", userId).query(Long.class).single();
            if (own == 0) {
                throw new NotFoundException("No notification " + id);
            }
        }
    }

    public long unreadCount(String userId) {
        return jdbc.sql("select count(*) from notification where recipient_id = :user and read_at is null")
                .param("user", userId).query(Long.class).single();
    }

    /**
     * The emails still to be sent ({@code PENDING}: an SMTP server is configured and has not taken
     * them yet), for operators' metrics. Emails kept in the outbox because no SMTP server is
     * configured are not waiting for anything and are not counted.
     */
    public Outbox outbox() {
        return jdbc.sql("""
                        select count(case when email_status = :pending then 1 end),
                            min(case when email_status = :pending then created_at end),
                            count(case when email_status = :failed then 1 end)
                        from notification where email_status in (:pending, :failed)""")
                .param("pending", PENDING).param("failed", FAILED)
                .query((rs, n) -> new Outbox(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getLong(3)))
                .single();
    }

    /** The outbox's emails in one state (PENDING or FAILED), oldest first, at most {@code limit}: for operators. */
    public List<OutboxEmail> outboxEmails(String status, int limit) {
        return jdbc.sql("""
                        select id, dedup_key, recipient_id, event, reference, email_status, email_attempts, email_last_error, created_at
                        from notification where email_status = :status order by id fetch first %d rows only""".formatted(limit))
                .param("status", status)
                .query((rs, n) -> new OutboxEmail(rs.getLong("id"), rs.getString("dedup_key"), rs.getString("recipient_id"),
                        rs.getString("event"), rs.getString("reference"), rs.getString("email_status"), rs.getInt("email_attempts"),
                        rs.getString("email_last_error"), rs.getObject("created_at", OffsetDateTime.class)))
                .list();
    }

    /**
     * Sends a FAILED email again (an operator's retry): due at once, with a fresh count of attempts.
     *
     * @throws NotFoundException when there is no notification with this id
     * @throws ConflictException when its email is not FAILED
     */
    public void retryEmail(long id) {
        if (!emails.retry(id)) {
            String status = findById(id).map(Stored::emailStatus).orElseThrow(() -> new NotFoundException("No notification " + id));
            throw new ConflictException("The email of notification " + id + " is " + status + ", not FAILED");
        }
    }

    /** A user's notification settings: whether they want emails, and the time zone their notifications are written in. */
    public record Settings(boolean emailEnabled, ZoneId timeZone) {
    }

    /** Whether the user wants emails; true until they switch them off. */
    public boolean emailEnabled(String userId) {
        return settings(userId).emailEnabled();
    }

    /** The user's settings; emails on and {@code gigflow.notifications.default-time-zone} until they change them. */
    public Settings settings(String userId) {
        return jdbc.sql("select email_enabled, time_zone from user_settings where user_id = :user")
                .param("user", userId)
                .query((rs, n) -> new Settings(rs.getBoolean(1), zone(rs.getString(2))))
                .optional().orElse(new Settings(true, defaultZone));
    }

    public void setEmailEnabled(String userId, boolean enabled) {
        upsert(userId, "email_enabled", enabled);
    }

    /** The time zone the user's notifications are written in from now on; null goes back to the default. */
    public void setTimeZone(String userId, ZoneId zone) {
        upsert(userId, "time_zone", zone == null ? null : zone.getId());
    }

    private void upsert(String userId, String column, Object value) {
        Objects.requireNonNull(userId, "userId");
        try {
            ownTransaction.executeWithoutResult(status -> upsertSetting(userId, column, value));
        } catch (DuplicateKeyException concurrentFirstSetting) {
            // another request inserted the row between our update and insert: now it exists
            ownTransaction.executeWithoutResult(status -> upsertSetting(userId, column, value));
        }
    }

    private void upsertSetting(String userId, String column, Object value) {
        OffsetDateTime now = timeSource.now();
        int updated = jdbc.sql("update user_settings set " + column + " = :value, updated_at = :now where user_id = :user")
                .param("value", value).param("now", now).param("user", userId).update();
        if (updated == 0) {
            jdbc.sql("insert into user_settings (user_id, " + column + ", updated_at) values (:user, :value, :now)")
                    .param("user", userId).param("value", value).param("now", now).update();
        }
    }

    /** A stored zone; one this runtime no longer knows falls back to the default rather than failing a step. */
    private ZoneId zone(String id) {
        if (id == null) {
            return defaultZone;
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException unknown) {
            log.warn("Time zone {} is not known here; notifications use {}", id, defaultZone);
            return defaultZone;
        }
    }

    /**
     * The recipient's open task of the process instance (assigned to them, or offered to them or
     * their groups), newest first; null when they have none. Looked up as the system: the actor of
     * the step may not see the recipient's tasks.
     */
    private String openTask(String processInstanceId, String userId) {
        Authentication caller = identityService.getCurrentAuthentication();
        identityService.clearAuthentication();
        try {
            List<Task> tasks = taskService.createTaskQuery().processInstanceId(processInstanceId).or().taskAssignee(userId).taskCandidateUser(userId).endOr()
                    .active().orderByTaskCreateTime().desc().listPage(0, 1);
            return tasks.isEmpty() ? null : tasks.get(0).getId();
        } finally {
            if (caller != null) {
                identityService.setAuthentication(caller);
            }
        }
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    private record Stored(long id, String dedupKey, String recipientId, String emailStatus, String emailTo, String emailName,
            String subject, String body, String html) {
    }

    private Optional<Stored> find(String dedupKey) {
        return stored("dedup_key = :key", "key", dedupKey);
    }

    private Optional<Stored> findById(long id) {
        return stored("id = :id", "id", id);
    }

    private Optional<Stored> stored(String condition, String name, Object value) {
        return jdbc.sql("select id, dedup_key, recipient_id, email_status, email_to, email_name, subject, body, html_body from notification where "
                        + condition)
                .param(name, value)
                .query((rs, n) -> new Stored(rs.getLong("id"), rs.getString("dedup_key"), rs.getString("recipient_id"),
                        rs.getString("email_status"), rs.getString("email_to"), rs.getString("email_name"), rs.getString("subject"),
                        rs.getString("body"), rs.getString("html_body")))
                .optional();
    }

    private Stored create(String dedupKey, String recipientUserId, String event, String reference, Writer writer) {
        Optional<Parties.Person> person = parties.person(recipientUserId);
        Settings settings = settings(recipientUserId);
        NoticeTemplates.Rendered content = writer.write(person, settings.timeZone());
        String subject = content.subject();
        String body = content.text();
        if (person.isEmpty()) {
            log.warn("Notification {} is for {}, who is not a known user", dedupKey, recipientUserId);
        }
        String emailTo = person.map(Parties.Person::email).filter(NotificationService::isAddress).orElse(null);
        String emailName = person.map(Parties.Person::name).map(name -> name.length() > 300 ? name.substring(0, 300) : name).orElse(null);
        String emailStatus;
        if (emailTo == null || !settings.emailEnabled()) {
            emailStatus = DISABLED;
        } else if (mailSender.getIfAvailable() == null) {
            emailStatus = OUTBOX;
        } else {
            emailStatus = PENDING;
        }

        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                        insert into notification (dedup_key, recipient_id, event, reference, subject, body, html_body,
                            created_at, email_status, email_to, email_name, email_next_attempt_at)
                        values (:key, :recipient, :event, :reference, :subject, :body, :html, :now, :status, :to, :name, :next)""")
                .param("key", dedupKey).param("recipient", recipientUserId).param("event", event)
                .param("reference", reference).param("subject", subject).param("body", body).param("html", content.html())
                .param("now", timeSource.now()).param("status", emailStatus).param("to", emailTo)
                .param("name", emailName).param("next", PENDING.equals(emailStatus) ? timeSource.now() : null)
                .update(key, "id");
        long id = key.getKeyAs(Number.class).longValue();
        if (OUTBOX.equals(emailStatus)) {
            logOutbox(id, dedupKey);
        }
        return new Stored(id, dedupKey, recipientUserId, emailStatus, emailTo, emailName, subject, body, content.html());
    }

    private void send(Stored notification) {
        faultInjector.check(FaultInjector.EMAIL);
        JavaMailSender sender = mailSender.getIfAvailable();
        if (sender == null) {
            // written while SMTP was configured, sent after a restart without it: keep it in the outbox
            logOutbox(notification.id(), notification.dedupKey());
            markEmail(notification.id(), OUTBOX, null);
            return;
        }
        MimeMessage message = sender.createMimeMessage();
        try {
            MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            // the name as it was when the notification was written (no look-up per email); rows written
            // before names were kept look it up
            String name = notification.emailName() != null ? notification.emailName()
                    : parties.person(notification.recipientId()).map(Parties.Person::name).orElse(null);
            helper.setTo(new InternetAddress(notification.emailTo(), name, StandardCharsets.UTF_8.name()));
            helper.setSubject(notification.subject());
            if (notification.html() == null) {
                helper.setText(notification.body(), false);
            } else {
                // the text as the app shows it, greeted and signed like the HTML, and the HTML: the client picks one
                MimeBodyPart text = new MimeBodyPart();
                text.setText("Hello " + (name == null ? notification.recipientId() : name) + ",\n\n" + notification.body()
                        + "\n\n-- \n" + FOOTER, StandardCharsets.UTF_8.name());
                MimeBodyPart html = new MimeBodyPart();
                html.setText(notification.html(), StandardCharsets.UTF_8.name(), "html");
                MimeMultipart alternative = new MimeMultipart("alternative");
                alternative.addBodyPart(text);
                alternative.addBodyPart(html);
                message.setContent(alternative);
            }
            message.setHeader(DEDUP_HEADER, notification.dedupKey());
            // kept by JavaMailSender: a copy sent again after a crash is the same message to the mail system
            message.setHeader("Message-ID", messageId(notification));
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new MailPreparationException("Cannot build the email of notification " + notification.dedupKey(), e);
        }
        emails.send(sender, message);
        markEmail(notification.id(), SENT, timeSource.now());
        log.debug("Sent email of notification {}", notification.dedupKey());
    }

    /**
     * The email's Message-ID, the same for every attempt to send this notification. Sending is
     * at-least-once: a node that dies after the SMTP server took an email and before it recorded
     * that leaves the email due, and the node that retries the step sends it again. No protocol
     * step can close that gap with SMTP; an identical Message-ID lets mail systems and clients
     * recognise the second copy as the same message (RFC 5322 3.6.4).
     */
    String messageId(long notificationId, String dedupKey) {
        String domain = from.contains("@") ? from.substring(from.lastIndexOf('@') + 1).replace(">", "").strip() : "gigflow.local";
        String digest = HexFormat.of().formatHex(sha256(dedupKey)).substring(0, 16);
        return "<notification-" + notificationId + "." + digest + "@" + domain + ">";
    }

    private String messageId(Stored notification) {
        return messageId(notification.id(), notification.dedupKey());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private void markEmail(long id, String status, OffsetDateTime sentAt) {
        ownTransaction.executeWithoutResult(tx -> jdbc.sql(
                        "update notification set email_status = :status, email_sent_at = :sentAt where id = :id and email_status = :pending")
                .param("status", status).param("sentAt", sentAt).param("id", id).param("pending", PENDING)
                .update());
    }

    /**
     * Says that an email stays in the outbox, by the notification's id and key only: its address,
     * subject and body are personal data and stay in the notification table (an operator reads
     * them there), out of the log.
     */
    private static void logOutbox(long id, String dedupKey) {
        log.info("Email of notification {} [{}] kept in the outbox (no SMTP server configured)", id, dedupKey);
    }

    private static boolean isAddress(String email) {
        if (email == null || email.isBlank() || email.length() > 320) {
            return false;
        }
        try {
            new InternetAddress(email, true).validate();
            return true;
        } catch (AddressException e) {
            return false;
        }
    }

    private static void require(String value, String name, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(name + " must be at most " + max + " characters");
        }
    }
}
