-- field-assignment: every value a timer, a gateway or a money step reads is kept in the row,
-- written by the step that decided it, so that no process variable (which a party's task
-- completion could overwrite) steers the process.

-- how long before the scheduled start the worker confirms (ISO-8601), fixed at publication
alter table field_assignment add column confirm_before varchar(40) default 'PT24H' not null;

-- the client's proposal when it removes a hold, and the worker's answer to it
alter table field_assignment add column proposed_start timestamp with time zone;
alter table field_assignment add column proposed_end timestamp with time zone;
alter table field_assignment add column reschedule_answer varchar(16);

-- the client's review decision (APPROVE, NOT_SATISFIED) and its reason
alter table field_assignment add column review_decision varchar(16);
alter table field_assignment add column review_reason varchar(1000);

-- when an open approval is first escalated (submission plus the company's usual approval time)
alter table field_assignment add column approval_expected_at timestamp with time zone;

-- the payment date to the instant (payment_due_on is its calendar day), and a FastFunds request
alter table field_assignment add column payment_due_at timestamp with time zone;
alter table field_assignment add column fast_funds_requested_at timestamp with time zone;
