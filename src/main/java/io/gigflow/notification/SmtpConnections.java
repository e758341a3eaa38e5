package io.gigflow.notification;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The outbox's SMTP connections, kept open from one email to the next. With a connection of its
 * own, every email paid for a TCP connection, the server's greeting, {@code EHLO} (and with
 * STARTTLS a TLS handshake) and {@code QUIT}: round trips that took longer than the message
 * itself, so the outbox's senders fell behind the steps that wrote the emails. Now a sender takes
 * an open connection if one is idle, sends over it and puts it back; a connection idle for longer
 * than {@code gigflow.mail.outbox.keep-open} (10 seconds; zero sends each email over a connection
 * of its own, as before) is closed at the outbox's next poll, and one that carried
 * {@value #EMAILS_A_CONNECTION} emails is closed after the last of them.
 *
 * <p>A connection is only ever used by one sender at a time, so there are never more open than
 * the outbox has senders. A server may close a connection that waited (its idle timeout, a
 * restart): an email that fails over a connection that had carried others is sent once more over
 * a new one, within the same attempt; any failure closes the connection it happened on. A mail
 * sender other than Spring's {@link JavaMailSenderImpl} sends as it always does.
 */
final class SmtpConnections {

    private static final Logger log = LoggerFactory.getLogger(SmtpConnections.class);

    /** Emails one connection carries before it is closed: some servers refuse more on one connection. */
    static final int EMAILS_A_CONNECTION = 100;

    private final long keepOpenNanos;
    private final Deque<Open> idle = new ArrayDeque<>();
    private boolean closed;

    SmtpConnections(Duration keepOpen) {
        if (keepOpen.isNegative()) {
            throw new IllegalArgumentException("gigflow.mail.outbox.keep-open must not be negative, was " + keepOpen);
        }
        this.keepOpenNanos = keepOpen.toNanos();
    }

    /** An open connection, how many emails it carried, and since when it waits (System.nanoTime). */
    private record Open(Transport transport, int sent, long idleSince) {
    }

    /**
     * Sends the message over an open connection, or a new one. Throws what
     * {@link JavaMailSender#send(MimeMessage)} throws.
     */
    void send(JavaMailSender sender, MimeMessage message) {
        if (keepOpenNanos == 0 || !(sender instanceof JavaMailSenderImpl impl)) {
            sender.send(message);
            return;
        }
        Address[] recipients = prepare(message);
        Open open = take();
        if (open != null) {
            try {
                open.transport().sendMessage(message, recipients);
                putBack(new Open(open.transport(), open.sent() + 1, System.nanoTime()));
                return;
            } catch (MessagingException | RuntimeException e) {
                // the server may have closed it while it waited: once more over a new connection
                log.debug("Email over an open SMTP connection failed, sent again over a new one: {}", e.toString());
                close(open.transport());
            }
        }
        Transport transport = connect(impl);
        try {
            transport.sendMessage(message, recipients);
        } catch (MessagingException e) {
            close(transport);
            throw new MailSendException("Failed to send the email: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(transport);
            throw e;
        }
        putBack(new Open(transport, 1, System.nanoTime()));
    }

    /** What {@link JavaMailSenderImpl} does to a message before it sends it: its date, its headers, its Message-ID kept. */
    private static Address[] prepare(MimeMessage message) {
        try {
            if (message.getSentDate() == null) {
                message.setSentDate(new Date());
            }
            String messageId = message.getMessageID();
            message.saveChanges();
            if (messageId != null) {
                message.setHeader("Message-ID", messageId);
            }
            Address[] recipients = message.getAllRecipients();
            return recipients != null ? recipients : new Address[0];
        } catch (MessagingException e) {
            throw new MailSendException("Cannot prepare the email: " + e.getMessage(), e);
        }
    }

    private static Transport connect(JavaMailSenderImpl sender) {
        String username = sender.getUsername();
        String password = sender.getPassword();
        if ("".equals(username)) {
            username = null;
            if ("".equals(password)) {
                password = null;
            }
        }
        String protocol = sender.getProtocol();
        if (protocol == null) {
            protocol = sender.getSession().getProperty("mail.transport.protocol");
        }
        if (protocol == null) {
            protocol = JavaMailSenderImpl.DEFAULT_PROTOCOL;
        }
        Transport transport = null;
        try {
            transport = sender.getSession().getTransport(protocol);
            transport.connect(sender.getHost(), sender.getPort(), username, password);
            log.debug("Opened an SMTP connection to {}:{}", sender.getHost(), sender.getPort());
            return transport;
        } catch (AuthenticationFailedException e) {
            close(transport);
            throw new MailAuthenticationException(e);
        } catch (MessagingException e) {
            close(transport);
            throw new MailSendException("Mail server connection failed: " + e.getMessage(), e);
        }
    }

    private synchronized Open take() {
        return idle.pollFirst();
    }

    private void putBack(Open open) {
        boolean keep;
        synchronized (this) {
            keep = !closed && open.sent() < EMAILS_A_CONNECTION;
            if (keep) {
                // the most recently used first: the others get idle and closed when there is little to send
                idle.addFirst(open);
            }
        }
        if (!keep) {
            close(open.transport());
        }
    }

    /** Closes the connections that waited longer than keep-open (the outbox calls it at every poll). */
    void closeIdle() {
        long now = System.nanoTime();
        List<Transport> expired = new ArrayList<>();
        synchronized (this) {
            idle.removeIf(open -> {
                boolean old = now - open.idleSince() >= keepOpenNanos;
                if (old) {
                    expired.add(open.transport());
                }
                return old;
            });
        }
        expired.forEach(SmtpConnections::close);
    }

    /** Closes every idle connection, and each in use once its email is sent: the node stops. */
    void closeAll() {
        List<Open> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        all.forEach(open -> close(open.transport()));
    }

    private static void close(Transport transport) {
        if (transport == null) {
            return;
        }
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            log.debug("Closing an SMTP connection failed: {}", e.toString());
        }
    }
}
