-- The service-order steps that run outside a completion find their order by its process instance:
-- the start deadline's timer (OrderTimers), the assignment of each human step, the gateways'
-- routes. Without an index each of them read every order (placing 10,000 orders read the table
-- twice an order: quadratic).
create index ix_service_order_instance on service_order (process_instance_id);
