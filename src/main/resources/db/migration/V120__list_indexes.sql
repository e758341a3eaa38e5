-- Indexes for the lists parties open (newest first, one page at a time): each list reads its
-- page from an index in the list's own order and stops after the page, instead of reading every
-- row of the company (or every published assignment) and sorting them.

-- a company's task payouts, all or of one status, newest first (GET /api/companies/{id}/tasks)
create index ix_payout_task_company_page on payout_task (company_id, id);
create index ix_payout_task_company_status_page on payout_task (company_id, status, id);
-- a contractor's task payouts, newest first (GET /api/me/tasks)
create index ix_payout_task_contractor_page on payout_task (contractor_id, id);

-- the published assignments every field worker browses, newest first (GET /api/field-assignments/published)
create index ix_field_assignment_status_page on field_assignment (status, id);
-- a client company's assignments, all or of one status, newest first
create index ix_field_assignment_company_page on field_assignment (company_id, id);
create index ix_field_assignment_company_status_page on field_assignment (company_id, status, id);
-- a worker's assignments, newest first (GET /api/me/field-assignments)
create index ix_field_assignment_worker_page on field_assignment (worker_id, id);

-- an agency's orders, newest first (GET /api/checklist-orders, Todo)
create index ix_checklist_order_agency_page on checklist_order (agency_id, status, id);
-- the open items of an order in checklist order (Todo)
create index ix_checklist_item_open on checklist_item (order_id, status, position);
