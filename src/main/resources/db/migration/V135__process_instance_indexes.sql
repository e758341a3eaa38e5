-- The steps of a checklist order and of a field assignment find their row by its process instance
-- (timers, routes, the assignment of each human step); without an index each of them read the
-- whole table, as service_order's steps did before V130.
create index ix_checklist_order_instance on checklist_order (process_instance_id);
create index ix_field_assignment_instance on field_assignment (process_instance_id);
