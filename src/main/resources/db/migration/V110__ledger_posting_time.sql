-- Statements read one account's postings in a period and sum those before it: by account and time,
-- not by scanning every posting of the account (EXTERNAL:world has one per top-up and withdrawal).
create index ix_ledger_posting_account_time on ledger_posting (account_id, created_at);
