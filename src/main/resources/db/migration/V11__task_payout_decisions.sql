-- Who decided what, and the reminder the company chose, belong to the task: the process routes,
-- times and pays from these columns, never from process variables that a completion could write.
-- draft_decision: SEND (a member's review or the company's auto-publish setting) or DELETE;
-- decided_by: who recorded the contractor's decision; cancelled_by: the member who cancelled.
alter table payout_task add column draft_decision varchar(16);
alter table payout_task add column decided_by varchar(64);
alter table payout_task add column cancelled_by varchar(64);
alter table payout_task add column acceptance_reminder varchar(40);
