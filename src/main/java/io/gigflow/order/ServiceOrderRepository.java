package io.gigflow.order;

import io.gigflow.shared.Sequences;
import io.gigflow.shared.Money;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class ServiceOrderRepository {

    record OrderOption(String name, Money price, int extraDays) {
    }

    record Request(long id, String description, int extraDays, Money price, String status, OffsetDateTime requestedAt,
            OffsetDateTime answeredAt, String answerReason, Long pausedSeconds, String decision, String decidedBy) {

        /** A request the provider accepted: its price is in escrow, its days in the due date. */
        static final String ACCEPTED = "ACCEPTED";
        static final String PENDING = "PENDING";

        boolean pending() {
            return PENDING.equals(status);
        }
    }

    record OrderEvent(OffsetDateTime at, String actor, String event, String detail) {
    }

    record StoredFile(long id, long orderId, String fileName, String contentType, byte[] content, String sha256, int sizeBytes) {
    }

    private static final String COLUMNS = """
            o.id, o.ref, o.offering_id, o.customer_id, o.provider_id, o.title, o.currency, o.base_price, o.base_days, o.status,
            o.late, o.started_at, o.due_at, o.paused_at, o.delivered_at, o.delivery_message, o.cancel_reason,
            o.process_instance_id, o.created_at, o.updated_at, o.start_deadline_at, o.request_answer_timeout,
            o.confirmation_timeout, o.delivery_decision, o.delivery_decided_by""";

    private final JdbcClient jdbc;
    private final Sequences sequences;

    ServiceOrderRepository(JdbcClient jdbc, Sequences sequences) {
        this.sequences = sequences;
        this.jdbc = jdbc;
    }

    String nextRef() {
        return "O-" + sequences.next("service_order_ref_seq");
    }

    boolean refExists(String ref) {
        return jdbc.sql("select count(*) from service_order where ref = :ref").param("ref", ref).query(Integer.class).single() > 0;
    }

    /** The timers an order runs on, fixed when it is placed. */
    record Timers(OffsetDateTime startDeadlineAt, String requestAnswerTimeout, String confirmationTimeout) {
    }

    long insert(String ref, ServiceCatalog.Offering offering, String customerId, String processInstanceId, Timers timers,
            OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into service_order (ref, offering_id, customer_id, provider_id, title, currency, base_price, base_days,
                    status, process_instance_id, start_deadline_at, request_answer_timeout, confirmation_timeout, created_at, updated_at)
                values (:ref, :offering, :customer, :provider, :title, :currency, :price, :days, 'AWAITING_START', :pi,
                    :deadline, :answer, :confirmation, :now, :now)""")
                .param("ref", ref).param("offering", offering.id()).param("customer", customerId).param("provider", offering.providerId())
                .param("title", offering.title()).param("currency", offering.basePrice().currencyCode())
                .param("price", offering.basePrice().amount()).param("days", offering.deliveryDays()).param("pi", processInstanceId)
                .param("deadline", timers.startDeadlineAt()).param("answer", timers.requestAnswerTimeout())
                .param("confirmation", timers.confirmationTimeout())
                .param("now", now).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    void addOption(long orderId, ServiceCatalog.Option option) {
        jdbc.sql("insert into service_order_option (order_id, name, price, extra_days) values (:order, :name, :price, :days)")
                .param("order", orderId).param("name", option.name()).param("price", option.price().amount())
                .param("days", option.extraDays()).update();
    }

    Optional<ServiceOrder> find(String ref) {
        return jdbc.sql("select " + COLUMNS + " from service_order o where o.ref = :ref").param("ref", ref)
                .query(ServiceOrderRepository::map).optional();
    }

    Optional<ServiceOrder> findByProcessInstance(String processInstanceId) {
        return jdbc.sql("select " + COLUMNS + " from service_order o where o.process_instance_id = :pi").param("pi", processInstanceId)
                .query(ServiceOrderRepository::map).optional();
    }

    /**
     * Locks the order's row and reads it: the steps that change an order serialise here. The lock
     * and the read are two statements: H2 prepares a statement with {@code for update} anew each
     * time (it keeps only other statements prepared), and preparing the read of every column under
     * the lock took about a fifth of the service-order steps' own CPU time in a deadline drain on
     * H2. Read after the lock (a statement of its own, at read committed), the row is as its
     * previous lock holder committed it, on H2 and PostgreSQL alike.
     */
    Optional<ServiceOrder> lock(String ref) {
        if (jdbc.sql("select id from service_order where ref = :ref for update").param("ref", ref).query(Long.class).optional().isEmpty()) {
            return Optional.empty();
        }
        return find(ref);
    }

    List<ServiceOrder> ofParty(String column, String userId, OrderStatus status, int offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from service_order o where o." + column + " = :user"
                        + (status == null ? "" : " and o.status = :status")
                        + " order by o.id desc offset :offset rows fetch next :limit rows only")
                .param("user", userId).param("status", status == null ? null : status.name())
                .param("offset", offset).param("limit", limit)
                .query(ServiceOrderRepository::map).list();
    }

    List<OrderOption> options(ServiceOrder order) {
        Currency currency = order.basePrice().currency();
        return jdbc.sql("select name, price, extra_days from service_order_option where order_id = :order order by id")
                .param("order", order.id())
                .query((rs, n) -> new OrderOption(rs.getString(1), ServiceCatalog.money(rs.getBigDecimal(2), currency), rs.getInt(3)))
                .list();
    }

    void update(String ref, String assignments, OffsetDateTime now, Object... params) {
        var statement = jdbc.sql("update service_order set " + assignments + ", updated_at = :now where ref = :ref")
                .param("now", now).param("ref", ref);
        for (int i = 0; i < params.length; i += 2) {
            statement = statement.param((String) params[i], params[i + 1]);
        }
        statement.update();
    }

    long addRequest(long orderId, String description, int extraDays, Money price, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into service_order_request (order_id, description, extra_days, price, status, requested_at)
                values (:order, :description, :days, :price, 'PENDING', :now)""")
                .param("order", orderId).param("description", description).param("days", extraDays).param("price", price.amount())
                .param("now", now).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    List<Request> requests(ServiceOrder order) {
        Currency currency = order.basePrice().currency();
        return jdbc.sql("""
                select id, description, extra_days, price, status, requested_at, answered_at, answer_reason, paused_seconds,
                    decision, decided_by
                from service_order_request where order_id = :order order by id""")
                .param("order", order.id())
                .query((rs, n) -> new Request(rs.getLong("id"), rs.getString("description"), rs.getInt("extra_days"),
                        ServiceCatalog.money(rs.getBigDecimal("price"), currency), rs.getString("status"),
                        rs.getObject("requested_at", OffsetDateTime.class), rs.getObject("answered_at", OffsetDateTime.class),
                        rs.getString("answer_reason"), (Long) rs.getObject("paused_seconds", Long.class),
                        rs.getString("decision"), rs.getString("decided_by")))
                .list();
    }

    /** The provider's answer to a pending request, recorded when the provider completes the review (the gateway routes on it). */
    void decideRequest(long requestId, String decision, String decidedBy, String reason) {
        jdbc.sql("update service_order_request set decision = :decision, decided_by = :by, answer_reason = :reason where id = :id")
                .param("decision", decision).param("by", decidedBy).param("reason", reason).param("id", requestId).update();
    }

    Optional<Request> pendingRequest(ServiceOrder order) {
        return requests(order).stream().filter(Request::pending).findFirst();
    }

    void answerRequest(long requestId, String status, String reason, long pausedSeconds, OffsetDateTime now) {
        jdbc.sql("""
                update service_order_request set status = :status, answer_reason = :reason, paused_seconds = :paused,
                    answered_at = :now where id = :id""")
                .param("status", status).param("reason", reason).param("paused", pausedSeconds).param("now", now)
                .param("id", requestId).update();
    }

    long addFile(long orderId, String fileName, String contentType, byte[] content, String sha256, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into service_order_file (order_id, file_name, content_type, content, sha256, size_bytes, created_at)
                values (:order, :name, :type, :content, :sha, :size, :now)""")
                .param("order", orderId).param("name", fileName).param("type", contentType).param("content", content)
                .param("sha", sha256).param("size", content.length).param("now", now).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<StoredFile> file(long fileId) {
        return jdbc.sql("select id, order_id, file_name, content_type, content, sha256, size_bytes from service_order_file where id = :id")
                .param("id", fileId)
                .query((rs, n) -> new StoredFile(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                        rs.getString(6), rs.getInt(7)))
                .optional();
    }

    List<StoredFile> files(long orderId) {
        return jdbc.sql("select id, order_id, file_name, content_type, sha256, size_bytes from service_order_file where order_id = :order order by id")
                .param("order", orderId)
                .query((rs, n) -> new StoredFile(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), null,
                        rs.getString(5), rs.getInt(6)))
                .list();
    }

    void addEvent(long orderId, OffsetDateTime at, String actor, String event, String detail) {
        jdbc.sql("insert into service_order_event (order_id, at, actor, event, detail) values (:order, :at, :actor, :event, :detail)")
                .param("order", orderId).param("at", at).param("actor", actor).param("event", event).param("detail", detail)
                .update();
    }

    List<OrderEvent> events(long orderId) {
        return jdbc.sql("select at, actor, event, detail from service_order_event where order_id = :order order by id")
                .param("order", orderId)
                .query((rs, n) -> new OrderEvent(rs.getObject("at", OffsetDateTime.class), rs.getString("actor"),
                        rs.getString("event"), rs.getString("detail")))
                .list();
    }

    private static ServiceOrder map(ResultSet rs, int row) throws SQLException {
        Currency currency = Currency.getInstance(rs.getString("currency"));
        BigDecimal price = rs.getBigDecimal("base_price");
        return new ServiceOrder(rs.getLong("id"), rs.getString("ref"), rs.getLong("offering_id"), rs.getString("customer_id"),
                rs.getString("provider_id"), rs.getString("title"), ServiceCatalog.money(price, currency), rs.getInt("base_days"),
                OrderStatus.valueOf(rs.getString("status")), rs.getBoolean("late"), rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("due_at", OffsetDateTime.class), rs.getObject("paused_at", OffsetDateTime.class),
                rs.getObject("delivered_at", OffsetDateTime.class), rs.getString("delivery_message"), rs.getString("cancel_reason"),
                rs.getString("process_instance_id"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class), rs.getObject("start_deadline_at", OffsetDateTime.class),
                rs.getString("request_answer_timeout"), rs.getString("confirmation_timeout"), rs.getString("delivery_decision"),
                rs.getString("delivery_decided_by"));
    }
}
