-- Some service-order steps find their order by its process instance: the timers (OrderTimers),
-- the assignment of each human step, the gateways' routes (OrderRoutes). Without an index each of
-- them read every order: placing 10,000 orders read the table twice an order, and placing slowed
-- down as orders accumulated.
create index ix_service_order_instance on service_order (process_instance_id);
