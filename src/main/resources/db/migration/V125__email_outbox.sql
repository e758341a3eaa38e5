-- Emails are sent from the notification table itself (a transactional outbox) instead of by a
-- process instance each: a node's sender claims a due email by moving its next attempt past a
-- lease, sends it, and marks it SENT; a failed attempt is retried after a delay, and after the
-- last attempt the email is FAILED, which operators see (metric, /api/operator/emails) and retry.
alter table notification add column email_attempts integer default 0 not null;
alter table notification add column email_next_attempt_at timestamp with time zone;
alter table notification add column email_last_error varchar(1000);
-- the recipient's name as the email greets them, taken when the notification is written
alter table notification add column email_name varchar(300);
update notification set email_next_attempt_at = created_at where email_status = 'PENDING';
create index ix_notification_email_due on notification (email_status, email_next_attempt_at);
