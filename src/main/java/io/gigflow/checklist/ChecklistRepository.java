package io.gigflow.checklist;

import io.gigflow.shared.Sequences;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The agencies' services with their task templates, and the orders with their checklist items and history. */
@Repository
class ChecklistRepository {

    record AgencyService(long id, String ref, String agencyId, String title, OffsetDateTime createdAt) {
    }

    /** What a task is, whether in a service's template or on an order. */
    record TaskSpec(String name, String description, Integer deadlineDays, String deadlineFrom, List<String> assignees,
            boolean visibleInPortal, boolean clientTask) {
    }

    record TemplateTask(long id, long serviceId, boolean library, int position, TaskSpec spec, boolean removed) {
    }

    record Order(long id, String ref, long serviceId, String agencyId, String clientId, String title, List<String> collaborators,
            String billingCycle, int cycleNo, OffsetDateTime cycleStartedAt, OffsetDateTime nextCycleAt, OrderStatus status,
            String processInstanceId, String createdBy, OffsetDateTime createdAt, OffsetDateTime completedAt) {

        boolean recurring() {
            return billingCycle != null;
        }
    }

    record Item(long id, long orderId, Long templateTaskId, int position, TaskSpec spec, ItemStatus status, boolean active,
            OffsetDateTime activatedAt, OffsetDateTime dueAt, OffsetDateTime completedAt, String completedBy) {
    }

    record Event(OffsetDateTime at, String actor, String event, String detail) {
    }

    private static final String ORDER_COLUMNS = """
            o.id, o.ref, o.service_id, o.agency_id, o.client_id, o.title, o.collaborators, o.billing_cycle, o.cycle_no,
            o.cycle_started_at, o.next_cycle_at, o.status, o.process_instance_id, o.created_by, o.created_at, o.completed_at""";
    private static final String ITEM_COLUMNS = """
            i.id, i.order_id, i.template_task_id, i.position, i.name, i.description, i.deadline_days, i.deadline_from, i.assignees,
            i.visible_in_portal, i.client_task, i.status, i.active, i.activated_at, i.due_at, i.completed_at, i.completed_by""";

    private final JdbcClient jdbc;
    private final Sequences sequences;

    ChecklistRepository(JdbcClient jdbc, Sequences sequences) {
        this.sequences = sequences;
        this.jdbc = jdbc;
    }

    // ---- services and templates

    long insertService(String agencyId, String title, OffsetDateTime now) {
        String ref = "AS-" + sequences.next("checklist_service_ref_seq");
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into checklist_service (ref, agency_id, title, created_at, updated_at) values (:ref, :agency, :title, :now, :now)")
                .param("ref", ref).param("agency", agencyId).param("title", title).param("now", now).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<AgencyService> service(String ref) {
        return jdbc.sql("select id, ref, agency_id, title, created_at from checklist_service where ref = :ref").param("ref", ref)
                .query(ChecklistRepository::mapService).optional();
    }

    Optional<AgencyService> service(long id) {
        return jdbc.sql("select id, ref, agency_id, title, created_at from checklist_service where id = :id").param("id", id)
                .query(ChecklistRepository::mapService).optional();
    }

    /** Locks the service row: template changes and order placements of one service serialise here. */
    Optional<AgencyService> lockService(String ref) {
        return jdbc.sql("select id, ref, agency_id, title, created_at from checklist_service where ref = :ref for update").param("ref", ref)
                .query(ChecklistRepository::mapService).optional();
    }

    List<AgencyService> servicesOf(String agencyId) {
        return jdbc.sql("select id, ref, agency_id, title, created_at from checklist_service where agency_id = :agency order by id")
                .param("agency", agencyId).query(ChecklistRepository::mapService).list();
    }

    List<String> agenciesWithServices() {
        return jdbc.sql("select distinct agency_id from checklist_service").query(String.class).list();
    }

    void touchService(long id, String title, OffsetDateTime now) {
        jdbc.sql("update checklist_service set title = :title, updated_at = :now where id = :id")
                .param("title", title).param("now", now).param("id", id).update();
    }

    long insertTemplate(long serviceId, boolean library, int position, TaskSpec spec) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into checklist_template_task (service_id, library, position, name, description, deadline_days, deadline_from,
                    assignees, visible_in_portal, client_task, removed)
                values (:service, :library, :position, :name, :description, :days, :from, :assignees, :visible, :client, false)""")
                .param("service", serviceId).param("library", library).param("position", position).param("name", spec.name())
                .param("description", spec.description()).param("days", spec.deadlineDays()).param("from", spec.deadlineFrom())
                .param("assignees", join(spec.assignees())).param("visible", spec.visibleInPortal()).param("client", spec.clientTask())
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    void updateTemplate(long id, boolean library, int position, TaskSpec spec) {
        jdbc.sql("""
                update checklist_template_task set library = :library, position = :position, name = :name, description = :description,
                    deadline_days = :days, deadline_from = :from, assignees = :assignees, visible_in_portal = :visible,
                    client_task = :client, removed = false where id = :id""")
                .param("library", library).param("position", position).param("name", spec.name())
                .param("description", spec.description()).param("days", spec.deadlineDays()).param("from", spec.deadlineFrom())
                .param("assignees", join(spec.assignees())).param("visible", spec.visibleInPortal()).param("client", spec.clientTask())
                .param("id", id).update();
    }

    void removeTemplates(long serviceId, Collection<Long> keep) {
        List<Long> ids = keep.isEmpty() ? List.of(-1L) : List.copyOf(keep);
        jdbc.sql("update checklist_template_task set removed = true where service_id = :service and id not in (:keep)")
                .param("service", serviceId).param("keep", ids).update();
    }

    /** The service's current templates (not removed), checklist first, each part in position order. */
    List<TemplateTask> templates(long serviceId) {
        return jdbc.sql("""
                select id, service_id, library, position, name, description, deadline_days, deadline_from, assignees,
                    visible_in_portal, client_task, removed
                from checklist_template_task where service_id = :service and removed = false order by library, position, id""")
                .param("service", serviceId).query(ChecklistRepository::mapTemplate).list();
    }

    Optional<TemplateTask> template(long id) {
        return jdbc.sql("""
                select id, service_id, library, position, name, description, deadline_days, deadline_from, assignees,
                    visible_in_portal, client_task, removed
                from checklist_template_task where id = :id""")
                .param("id", id).query(ChecklistRepository::mapTemplate).optional();
    }

    // ---- orders

    String nextOrderRef() {
        return "C-" + sequences.next("checklist_order_ref_seq");
    }

    boolean orderRefExists(String ref) {
        return jdbc.sql("select count(*) from checklist_order where ref = :ref").param("ref", ref).query(Integer.class).single() > 0;
    }

    long insertOrder(String ref, AgencyService service, String clientId, String title, List<String> collaborators, String billingCycle,
            OffsetDateTime nextCycleAt, String processInstanceId, String createdBy, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into checklist_order (ref, service_id, agency_id, client_id, title, collaborators, billing_cycle, cycle_no,
                    cycle_started_at, next_cycle_at, status, process_instance_id, created_by, created_at, updated_at)
                values (:ref, :service, :agency, :client, :title, :collaborators, :cycle, 1, :now, :next, 'OPEN', :pi, :by, :now, :now)""")
                .param("ref", ref).param("service", service.id()).param("agency", service.agencyId()).param("client", clientId)
                .param("title", title).param("collaborators", join(collaborators)).param("cycle", billingCycle)
                .param("next", nextCycleAt).param("pi", processInstanceId).param("by", createdBy).param("now", now)
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<Order> order(String ref) {
        return jdbc.sql("select " + ORDER_COLUMNS + " from checklist_order o where o.ref = :ref").param("ref", ref)
                .query(ChecklistRepository::mapOrder).optional();
    }

    Optional<Order> orderByProcessInstance(String processInstanceId) {
        return jdbc.sql("select " + ORDER_COLUMNS + " from checklist_order o where o.process_instance_id = :pi").param("pi", processInstanceId)
                .query(ChecklistRepository::mapOrder).optional();
    }

    /** Reads the order and locks its row: every change of an order and its items serialises here. */
    Optional<Order> lockOrder(String ref) {
        return jdbc.sql("select " + ORDER_COLUMNS + " from checklist_order o where o.ref = :ref for update").param("ref", ref)
                .query(ChecklistRepository::mapOrder).optional();
    }

    List<Order> ordersOfAgencies(Collection<String> agencyIds, OrderStatus status, int limit) {
        if (agencyIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + ORDER_COLUMNS + " from checklist_order o where o.agency_id in (:agencies)"
                        + (status == null ? "" : " and o.status = :status") + " order by o.id desc fetch first " + limit + " rows only")
                .param("agencies", List.copyOf(agencyIds)).param("status", status == null ? null : status.name())
                .query(ChecklistRepository::mapOrder).list();
    }

    List<Order> ordersOfClient(String clientId, int limit) {
        return jdbc.sql("select " + ORDER_COLUMNS + " from checklist_order o where o.client_id = :client order by o.id desc fetch first "
                        + limit + " rows only")
                .param("client", clientId).query(ChecklistRepository::mapOrder).list();
    }

    boolean agencyHasClient(String agencyId, String clientId) {
        return jdbc.sql("select count(*) from checklist_order where agency_id = :agency and client_id = :client")
                .param("agency", agencyId).param("client", clientId).query(Integer.class).single() > 0;
    }

    void updateOrder(long id, String assignments, OffsetDateTime now, Object... params) {
        var statement = jdbc.sql("update checklist_order set " + assignments + ", updated_at = :now where id = :id")
                .param("now", now).param("id", id);
        for (int i = 0; i < params.length; i += 2) {
            statement = statement.param((String) params[i], params[i + 1]);
        }
        statement.update();
    }

    // ---- items

    long insertItem(long orderId, Long templateTaskId, int position, TaskSpec spec) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into checklist_item (order_id, template_task_id, position, name, description, deadline_days, deadline_from,
                    assignees, visible_in_portal, client_task, status, active)
                values (:order, :template, :position, :name, :description, :days, :from, :assignees, :visible, :client, 'OPEN', false)""")
                .param("order", orderId).param("template", templateTaskId).param("position", position).param("name", spec.name())
                .param("description", spec.description()).param("days", spec.deadlineDays()).param("from", spec.deadlineFrom())
                .param("assignees", join(spec.assignees())).param("visible", spec.visibleInPortal()).param("client", spec.clientTask())
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    /** The order's items in checklist order. */
    List<Item> items(long orderId) {
        return jdbc.sql("select " + ITEM_COLUMNS + " from checklist_item i where i.order_id = :order order by i.position, i.id")
                .param("order", orderId).query(ChecklistRepository::mapItem).list();
    }

    /** The open items of open orders of these agencies, in order and checklist order. */
    List<Item> openItemsOfAgencies(Collection<String> agencyIds, int limit) {
        if (agencyIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + ITEM_COLUMNS + " from checklist_item i join checklist_order o on o.id = i.order_id"
                        + " where o.agency_id in (:agencies) and o.status = 'OPEN' and i.status = 'OPEN'"
                        + " order by o.id, i.position, i.id fetch first " + limit + " rows only")
                .param("agencies", List.copyOf(agencyIds)).query(ChecklistRepository::mapItem).list();
    }

    void updateSpec(long itemId, TaskSpec spec) {
        jdbc.sql("""
                update checklist_item set name = :name, description = :description, deadline_days = :days, deadline_from = :from,
                    assignees = :assignees, visible_in_portal = :visible, client_task = :client where id = :id""")
                .param("name", spec.name()).param("description", spec.description()).param("days", spec.deadlineDays())
                .param("from", spec.deadlineFrom()).param("assignees", join(spec.assignees())).param("visible", spec.visibleInPortal())
                .param("client", spec.clientTask()).param("id", itemId).update();
    }

    void setPosition(long itemId, int position) {
        jdbc.sql("update checklist_item set position = :position where id = :id").param("position", position).param("id", itemId).update();
    }

    void deactivateAll(long orderId) {
        jdbc.sql("update checklist_item set active = false where order_id = :order and active = true").param("order", orderId).update();
    }

    void activate(long itemId, OffsetDateTime activatedAt, OffsetDateTime dueAt) {
        jdbc.sql("update checklist_item set active = true, activated_at = :at, due_at = :due where id = :id")
                .param("at", activatedAt).param("due", dueAt).param("id", itemId).update();
    }

    void markDone(long itemId, String by, OffsetDateTime at) {
        jdbc.sql("update checklist_item set status = 'DONE', active = false, completed_at = :at, completed_by = :by where id = :id")
                .param("at", at).param("by", by).param("id", itemId).update();
    }

    /** A new billing cycle: every item open again, not yet activated. */
    void reopenAll(long orderId) {
        jdbc.sql("""
                update checklist_item set status = 'OPEN', active = false, activated_at = null, due_at = null, completed_at = null,
                    completed_by = null where order_id = :order""")
                .param("order", orderId).update();
    }

    void setAssignees(long itemId, List<String> assignees) {
        jdbc.sql("update checklist_item set assignees = :assignees where id = :id").param("assignees", join(assignees)).param("id", itemId).update();
    }

    // ---- history

    void addEvent(long orderId, OffsetDateTime at, String actor, String event, String detail) {
        jdbc.sql("insert into checklist_order_event (order_id, at, actor, event, detail) values (:order, :at, :actor, :event, :detail)")
                .param("order", orderId).param("at", at).param("actor", actor).param("event", event)
                .param("detail", detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 1000)).update();
    }

    List<Event> events(long orderId) {
        return jdbc.sql("select at, actor, event, detail from checklist_order_event where order_id = :order order by id")
                .param("order", orderId)
                .query((rs, n) -> new Event(rs.getObject("at", OffsetDateTime.class), rs.getString("actor"), rs.getString("event"),
                        rs.getString("detail")))
                .list();
    }

    // ---- mapping

    static String join(List<String> ids) {
        return ids == null || ids.isEmpty() ? null : String.join(",", ids);
    }

    static List<String> split(String ids) {
        return ids == null || ids.isBlank() ? List.of() : Arrays.stream(ids.split(",")).filter(s -> !s.isBlank()).toList();
    }

    private static AgencyService mapService(ResultSet rs, int row) throws SQLException {
        return new AgencyService(rs.getLong("id"), rs.getString("ref"), rs.getString("agency_id"), rs.getString("title"),
                rs.getObject("created_at", OffsetDateTime.class));
    }

    private static TaskSpec mapSpec(ResultSet rs) throws SQLException {
        return new TaskSpec(rs.getString("name"), rs.getString("description"), (Integer) rs.getObject("deadline_days", Integer.class),
                rs.getString("deadline_from"), split(rs.getString("assignees")), rs.getBoolean("visible_in_portal"),
                rs.getBoolean("client_task"));
    }

    private static TemplateTask mapTemplate(ResultSet rs, int row) throws SQLException {
        return new TemplateTask(rs.getLong("id"), rs.getLong("service_id"), rs.getBoolean("library"), rs.getInt("position"), mapSpec(rs),
                rs.getBoolean("removed"));
    }

    private static Order mapOrder(ResultSet rs, int row) throws SQLException {
        return new Order(rs.getLong("id"), rs.getString("ref"), rs.getLong("service_id"), rs.getString("agency_id"),
                rs.getString("client_id"), rs.getString("title"), split(rs.getString("collaborators")), rs.getString("billing_cycle"),
                rs.getInt("cycle_no"), rs.getObject("cycle_started_at", OffsetDateTime.class),
                rs.getObject("next_cycle_at", OffsetDateTime.class), OrderStatus.valueOf(rs.getString("status")),
                rs.getString("process_instance_id"), rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("completed_at", OffsetDateTime.class));
    }

    private static Item mapItem(ResultSet rs, int row) throws SQLException {
        return new Item(rs.getLong("id"), rs.getLong("order_id"), (Long) rs.getObject("template_task_id", Long.class), rs.getInt("position"),
                mapSpec(rs), ItemStatus.valueOf(rs.getString("status")), rs.getBoolean("active"),
                rs.getObject("activated_at", OffsetDateTime.class), rs.getObject("due_at", OffsetDateTime.class),
                rs.getObject("completed_at", OffsetDateTime.class), rs.getString("completed_by"));
    }
}
