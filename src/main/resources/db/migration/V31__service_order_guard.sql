-- The timers of an order, fixed when it is placed: nothing a party writes later moves them.
-- Rows from before carry none; their timers fall back to the configuration.
alter table service_order add column start_deadline_at timestamp with time zone;
alter table service_order add column request_answer_timeout varchar(40);
alter table service_order add column confirmation_timeout varchar(40);

-- The customer's answer to a delivery and who gave it: the gateway routes on it, the release checks it.
alter table service_order add column delivery_decision varchar(16);
alter table service_order add column delivery_decided_by varchar(64);

-- The provider's answer to an "Add to Service" request and who gave it.
alter table service_order_request add column decision varchar(16);
alter table service_order_request add column decided_by varchar(64);
