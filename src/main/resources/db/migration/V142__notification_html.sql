-- A notification is written from templates when it happens (NoticeTemplates): the row keeps the HTML
-- body next to the plain-text one, so the outbox sends what was written; null for a notification
-- written as plain text (its email is plain text too).
alter table notification add column html_body varchar(32000);
-- the time zone a user's notifications are written in (an IANA zone such as Europe/Berlin); null for
-- gigflow.notifications.default-time-zone
alter table user_settings add column time_zone varchar(64);
