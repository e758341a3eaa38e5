-- The deadline reminder the company chose at the start belongs to the milestone: the deadline
-- watch times its reminder from this column, never from a process variable that a completion
-- could write. Null: the configured default (gigflow.contractor-milestone.deadline-reminder).
alter table milestone add column deadline_reminder varchar(40);
