package io.gigflow.field;

import io.gigflow.shared.Money;
import io.gigflow.shared.Sequences;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The field-assignment tables. */
@Repository
class FieldAssignmentRepository {

    record Requirement(String kind, String name) {
    }

    record Item(String kind, String name, String value) {
    }

    record Application(long id, String workerId, String kind, String message, Money price, OffsetDateTime proposedStart,
            OffsetDateTime proposedEnd, String status, OffsetDateTime createdAt) {
    }

    record Question(long id, String workerId, String question, String answer, OffsetDateTime askedAt, OffsetDateTime answeredAt) {
    }

    record Request(long id, String workerId, String kind, Money amount, OffsetDateTime newStart, OffsetDateTime newEnd,
            String reason, String status, String answerReason, OffsetDateTime requestedAt, OffsetDateTime answeredAt) {
    }

    record Message(long id, String author, String body, OffsetDateTime postedAt) {
    }

    record StoredFile(long id, long assignmentId, String fileName, String contentType, byte[] content, String sha256, int sizeBytes) {
    }

    record Event(OffsetDateTime at, String actor, String event, String detail) {
    }

    private final JdbcClient jdbc;
    private final Sequences sequences;

    FieldAssignmentRepository(JdbcClient jdbc, Sequences sequences) {
        this.jdbc = jdbc;
        this.sequences = sequences;
    }

    String nextRef() {
        return "F-" + sequences.next("field_assignment_ref_seq");
    }

    boolean refExists(String ref) {
        return jdbc.sql("select count(*) from field_assignment where ref = :ref").param("ref", ref).query(Long.class).single() > 0;
    }

    long insert(String ref, String companyId, String title, String description, String location, OffsetDateTime start,
            OffsetDateTime end, Money budget, int paymentTermsDays, boolean checkInRequired, String contactName, String contactPhone,
            String contactEmail, String confirmBefore, String processInstanceId, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into field_assignment (ref, company_id, title, description, location, scheduled_start, scheduled_end,
                    currency, budget, payment_terms_days, check_in_required, contact_name, contact_phone, contact_email, status,
                    confirm_before, process_instance_id, created_at, updated_at)
                values (:ref, :company, :title, :description, :location, :start, :end, :currency, :budget, :terms, :checkIn,
                    :contactName, :contactPhone, :contactEmail, 'PUBLISHED', :confirmBefore, :pi, :now, :now)""")
                .param("ref", ref).param("company", companyId).param("title", title).param("description", description)
                .param("location", location).param("start", start).param("end", end).param("currency", budget.currencyCode())
                .param("budget", budget.amount()).param("terms", paymentTermsDays).param("checkIn", checkInRequired)
                .param("contactName", contactName).param("contactPhone", contactPhone).param("contactEmail", contactEmail)
                .param("confirmBefore", confirmBefore).param("pi", processInstanceId).param("now", now).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<FieldAssignment> find(String ref) {
        return jdbc.sql("select * from field_assignment where ref = :ref").param("ref", ref)
                .query(FieldAssignmentRepository::map).optional();
    }

    /** The row of one process instance, locked: a step acts only on the assignment its own instance was started for. */
    FieldAssignment lockFor(String ref, String processInstanceId) {
        return lock(ref).filter(row -> processInstanceId.equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no assignment " + ref + " of process instance " + processInstanceId));
    }

    Optional<FieldAssignment> lock(String ref) {
        return jdbc.sql("select * from field_assignment where ref = :ref for update").param("ref", ref)
                .query(FieldAssignmentRepository::map).optional();
    }

    Optional<FieldAssignment> findByProcessInstance(String processInstanceId) {
        return jdbc.sql("select * from field_assignment where process_instance_id = :pi").param("pi", processInstanceId)
                .query(FieldAssignmentRepository::map).optional();
    }

    List<FieldAssignment> ofCompany(String companyId, FieldStatus status, int offset, int limit) {
        return list("company_id = :party", companyId, status, offset, limit);
    }

    /**
     * The assignments a worker sees as their worker: assigned to them, not cancelled unless the
     * cancellation pays them, and not of a company they are a member of (there they see it as the
     * company). Filtered in the query, so a page is full whenever enough assignments match.
     */
    List<FieldAssignment> ofWorker(String workerId, List<String> memberOf, FieldStatus status, int offset, int limit) {
        return list("worker_id = :party and (status <> 'CANCELLED' or cancel_payment is not null)"
                + (memberOf.isEmpty() ? "" : " and company_id not in (:memberOf)"), workerId, memberOf, status, offset, limit);
    }

    /**
     * What a worker may act on as its worker (the worker action's choices): assigned to them, not
     * cancelled, not of a company they are a member of; newest first, at most {@code limit}.
     */
    List<FieldAssignment> workerMayActOn(String workerId, List<String> memberOf, int limit) {
        return list("worker_id = :party and status <> 'CANCELLED'"
                + (memberOf.isEmpty() ? "" : " and company_id not in (:memberOf)"), workerId, memberOf, null, 0, limit);
    }

    /** What members of these companies may act on as the client (the client action's choices): not cancelled; newest first. */
    List<FieldAssignment> companiesMayActOn(List<String> companies, int limit) {
        return companies.isEmpty() ? List.of()
                : list("company_id in (:memberOf) and status <> 'CANCELLED'", null, companies, null, 0, limit);
    }

    /** Published assignments, without those the worker was removed from (filtered in the query: pages are full). */
    List<FieldAssignment> published(String workerId, int offset, int limit) {
        return list("status = 'PUBLISHED' and not exists (select 1 from field_assignment_application r where r.assignment_id ="
                + " field_assignment.id and r.worker_id = :party and r.status = 'REMOVED')", workerId, List.of(), null, offset, limit);
    }

    private List<FieldAssignment> list(String where, String party, FieldStatus status, int offset, int limit) {
        return list(where, party, List.of(), status, offset, limit);
    }

    private List<FieldAssignment> list(String where, String party, List<String> memberOf, FieldStatus status, int offset, int limit) {
        var statement = jdbc.sql("select * from field_assignment where " + where + (status == null ? "" : " and status = :status")
                        + " order by id desc offset :offset rows fetch next :limit rows only")
                .param("party", party).param("status", status == null ? null : status.name()).param("offset", offset)
                .param("limit", limit);
        if (!memberOf.isEmpty()) {
            statement = statement.param("memberOf", memberOf);
        }
        return statement.query(FieldAssignmentRepository::map).list();
    }

    /**
     * Everything a list shows of its assignments beside their rows, one query a kind for the whole
     * page (not one a row): requirements, submitted items, applications, questions, requests,
     * messages, files and history, each in the order the single view reads them (by id).
     */
    Details details(List<FieldAssignment> page) {
        if (page.isEmpty()) {
            return new Details(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
        }
        List<Long> ids = page.stream().map(FieldAssignment::id).toList();
        Map<Long, Currency> currencies = new HashMap<>();
        page.forEach(a -> currencies.put(a.id(), a.budget().currency()));
        return new Details(
                byAssignment("select assignment_id, kind, name from field_assignment_requirement where assignment_id in (:ids)", ids,
                        rs -> new Requirement(rs.getString(2), rs.getString(3))),
                byAssignment("select assignment_id, kind, name, item_value from field_assignment_submission_item where assignment_id in (:ids)",
                        ids, rs -> new Item(rs.getString(2), rs.getString(3), rs.getString(4))),
                byAssignment("select * from field_assignment_application where assignment_id in (:ids)", ids,
                        rs -> application(rs, currencies.get(rs.getLong("assignment_id")))),
                byAssignment("select * from field_assignment_question where assignment_id in (:ids)", ids, FieldAssignmentRepository::question),
                byAssignment("select * from field_assignment_request where assignment_id in (:ids)", ids,
                        rs -> request(rs, currencies.get(rs.getLong("assignment_id")))),
                byAssignment("select assignment_id, id, author, body, posted_at from field_assignment_message where assignment_id in (:ids)", ids,
                        rs -> new Message(rs.getLong(2), rs.getString(3), rs.getString(4), rs.getObject(5, OffsetDateTime.class))),
                byAssignment("select assignment_id, id, file_name, content_type, sha256, size_bytes from field_assignment_file"
                        + " where assignment_id in (:ids)", ids,
                        rs -> new StoredFile(rs.getLong(2), rs.getLong(1), rs.getString(3), rs.getString(4), null, rs.getString(5), rs.getInt(6))),
                byAssignment("select assignment_id, at, actor, event, detail from field_assignment_event where assignment_id in (:ids)", ids,
                        rs -> new Event(rs.getObject(2, OffsetDateTime.class), rs.getString(3), rs.getString(4), rs.getString(5))));
    }

    /** A page's related rows by assignment. */
    record Details(Map<Long, List<Requirement>> requirements, Map<Long, List<Item>> items, Map<Long, List<Application>> applications,
            Map<Long, List<Question>> questions, Map<Long, List<Request>> requests, Map<Long, List<Message>> messages,
            Map<Long, List<StoredFile>> files, Map<Long, List<Event>> events) {
    }

    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Rows of the page's assignments, grouped by assignment, each group in id order. */
    private <T> Map<Long, List<T>> byAssignment(String select, List<Long> ids, Row<T> row) {
        Map<Long, List<T>> grouped = new HashMap<>();
        jdbc.sql(select + " order by assignment_id, id").param("ids", ids)
                .query(rs -> {
                    grouped.computeIfAbsent(rs.getLong("assignment_id"), k -> new ArrayList<>()).add(row.map(rs));
                });
        return grouped;
    }

    void update(long id, String assignments, OffsetDateTime now, Object... params) {
        var statement = jdbc.sql("update field_assignment set " + assignments + ", updated_at = :now where id = :id")
                .param("now", now).param("id", id);
        for (int i = 0; i < params.length; i += 2) {
            statement = statement.param((String) params[i], params[i + 1]);
        }
        statement.update();
    }

    /** The average time from submission to approval of the company's approved assignments; empty without history. */
    Optional<Duration> averageApprovalTime(String companyId) {
        List<Duration> times = jdbc.sql("""
                select submitted_at, approved_at from field_assignment
                where company_id = :company and approved_at is not null and submitted_at is not null""")
                .param("company", companyId)
                .query((rs, n) -> Duration.between(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)))
                .list();
        if (times.isEmpty()) {
            return Optional.empty();
        }
        long seconds = times.stream().mapToLong(Duration::getSeconds).sum() / times.size();
        return Optional.of(Duration.ofSeconds(Math.max(60, seconds)));
    }

    long paidAssignmentsOf(String workerId) {
        return jdbc.sql("select count(*) from field_assignment where worker_id = :worker and status = 'PAID'")
                .param("worker", workerId).query(Long.class).single();
    }

    // requirements and submission

    void addRequirement(long assignmentId, String kind, String name) {
        jdbc.sql("insert into field_assignment_requirement (assignment_id, kind, name) values (:a, :kind, :name)")
                .param("a", assignmentId).param("kind", kind).param("name", name).update();
    }

    List<Requirement> requirements(long assignmentId) {
        return jdbc.sql("select kind, name from field_assignment_requirement where assignment_id = :a order by id")
                .param("a", assignmentId).query((rs, n) -> new Requirement(rs.getString(1), rs.getString(2))).list();
    }

    void putItem(long assignmentId, String kind, String name, String value, OffsetDateTime now) {
        jdbc.sql("delete from field_assignment_submission_item where assignment_id = :a and kind = :kind and name = :name")
                .param("a", assignmentId).param("kind", kind).param("name", name).update();
        jdbc.sql("""
                insert into field_assignment_submission_item (assignment_id, kind, name, item_value, submitted_at)
                values (:a, :kind, :name, :value, :now)""")
                .param("a", assignmentId).param("kind", kind).param("name", name).param("value", value).param("now", now).update();
    }

    void clearItems(long assignmentId) {
        jdbc.sql("delete from field_assignment_submission_item where assignment_id = :a").param("a", assignmentId).update();
    }

    List<Item> items(long assignmentId) {
        return jdbc.sql("select kind, name, item_value from field_assignment_submission_item where assignment_id = :a order by id")
                .param("a", assignmentId).query((rs, n) -> new Item(rs.getString(1), rs.getString(2), rs.getString(3))).list();
    }

    // applications

    long addApplication(long assignmentId, String workerId, String kind, String message, Money price, OffsetDateTime start,
            OffsetDateTime end, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into field_assignment_application (assignment_id, worker_id, kind, message, price, proposed_start,
                    proposed_end, status, created_at)
                values (:a, :worker, :kind, :message, :price, :start, :end, 'OPEN', :now)""")
                .param("a", assignmentId).param("worker", workerId).param("kind", kind).param("message", message)
                .param("price", price == null ? null : price.amount()).param("start", start).param("end", end).param("now", now)
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    List<Application> applications(FieldAssignment assignment) {
        Currency currency = assignment.budget().currency();
        return jdbc.sql("select * from field_assignment_application where assignment_id = :a order by id")
                .param("a", assignment.id())
                .query((rs, n) -> application(rs, currency))
                .list();
    }

    private static Application application(ResultSet rs, Currency currency) throws SQLException {
        return new Application(rs.getLong("id"), rs.getString("worker_id"), rs.getString("kind"),
                rs.getString("message"), money(rs.getBigDecimal("price"), currency),
                rs.getObject("proposed_start", OffsetDateTime.class), rs.getObject("proposed_end", OffsetDateTime.class),
                rs.getString("status"), rs.getObject("created_at", OffsetDateTime.class));
    }

    void setApplicationStatus(long assignmentId, String workerId, String fromStatus, String toStatus) {
        jdbc.sql("update field_assignment_application set status = :to where assignment_id = :a and status = :from"
                        + (workerId == null ? "" : " and worker_id = :worker"))
                .param("to", toStatus).param("a", assignmentId).param("from", fromStatus).param("worker", workerId).update();
    }

    void setApplicationStatus(long applicationId, String status) {
        jdbc.sql("update field_assignment_application set status = :s where id = :id").param("s", status).param("id", applicationId).update();
    }

    boolean isRemoved(long assignmentId, String workerId) {
        return jdbc.sql("select count(*) from field_assignment_application where assignment_id = :a and worker_id = :w and status = 'REMOVED'")
                .param("a", assignmentId).param("w", workerId).query(Long.class).single() > 0;
    }

    // questions

    long addQuestion(long assignmentId, String workerId, String question, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into field_assignment_question (assignment_id, worker_id, question, asked_at) values (:a, :w, :q, :now)")
                .param("a", assignmentId).param("w", workerId).param("q", question).param("now", now).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    /** Answers an open question of this assignment; false when it has none with that id. */
    boolean answerQuestion(long assignmentId, long questionId, String answer, String by, OffsetDateTime now) {
        return jdbc.sql("update field_assignment_question set answer = :answer, answered_by = :by, answered_at = :now"
                        + " where id = :id and assignment_id = :a and answer is null")
                .param("answer", answer).param("by", by).param("now", now).param("id", questionId).param("a", assignmentId)
                .update() == 1;
    }

    List<Question> questions(long assignmentId) {
        return jdbc.sql("select * from field_assignment_question where assignment_id = :a order by id").param("a", assignmentId)
                .query((rs, n) -> question(rs))
                .list();
    }

    private static Question question(ResultSet rs) throws SQLException {
        return new Question(rs.getLong("id"), rs.getString("worker_id"), rs.getString("question"),
                rs.getString("answer"), rs.getObject("asked_at", OffsetDateTime.class),
                rs.getObject("answered_at", OffsetDateTime.class));
    }

    // requests

    long addRequest(long assignmentId, String workerId, String kind, Money amount, OffsetDateTime newStart, OffsetDateTime newEnd,
            String reason, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into field_assignment_request (assignment_id, worker_id, kind, amount, new_start, new_end, reason, status,
                    requested_at)
                values (:a, :w, :kind, :amount, :start, :end, :reason, 'PENDING', :now)""")
                .param("a", assignmentId).param("w", workerId).param("kind", kind).param("amount", amount == null ? null : amount.amount())
                .param("start", newStart).param("end", newEnd).param("reason", reason).param("now", now).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    void answerRequest(long requestId, String status, String reason, OffsetDateTime now) {
        jdbc.sql("update field_assignment_request set status = :s, answer_reason = :r, answered_at = :now where id = :id")
                .param("s", status).param("r", reason).param("now", now).param("id", requestId).update();
    }

    void withdrawPendingRequests(long assignmentId, String why, OffsetDateTime now) {
        jdbc.sql("""
                update field_assignment_request set status = 'WITHDRAWN', answer_reason = :why, answered_at = :now
                where assignment_id = :a and status = 'PENDING'""")
                .param("why", why).param("now", now).param("a", assignmentId).update();
    }

    List<Request> requests(FieldAssignment assignment) {
        Currency currency = assignment.budget().currency();
        return jdbc.sql("select * from field_assignment_request where assignment_id = :a order by id").param("a", assignment.id())
                .query((rs, n) -> request(rs, currency))
                .list();
    }

    private static Request request(ResultSet rs, Currency currency) throws SQLException {
        return new Request(rs.getLong("id"), rs.getString("worker_id"), rs.getString("kind"),
                money(rs.getBigDecimal("amount"), currency), rs.getObject("new_start", OffsetDateTime.class),
                rs.getObject("new_end", OffsetDateTime.class), rs.getString("reason"), rs.getString("status"),
                rs.getString("answer_reason"), rs.getObject("requested_at", OffsetDateTime.class),
                rs.getObject("answered_at", OffsetDateTime.class));
    }

    Optional<Request> request(FieldAssignment assignment, long requestId) {
        return requests(assignment).stream().filter(r -> r.id() == requestId).findFirst();
    }

    // messages, files, history

    long addMessage(long assignmentId, String author, String body, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into field_assignment_message (assignment_id, author, body, posted_at) values (:a, :author, :body, :now)")
                .param("a", assignmentId).param("author", author).param("body", body).param("now", now).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    List<Message> messages(long assignmentId) {
        return jdbc.sql("select id, author, body, posted_at from field_assignment_message where assignment_id = :a order by id")
                .param("a", assignmentId)
                .query((rs, n) -> new Message(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class)))
                .list();
    }

    long addFile(long assignmentId, String fileName, String contentType, byte[] content, String sha256, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into field_assignment_file (assignment_id, file_name, content_type, content, sha256, size_bytes, created_at)
                values (:a, :name, :type, :content, :sha, :size, :now)""")
                .param("a", assignmentId).param("name", fileName).param("type", contentType).param("content", content)
                .param("sha", sha256).param("size", content.length).param("now", now).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<StoredFile> file(long fileId) {
        return jdbc.sql("select id, assignment_id, file_name, content_type, content, sha256, size_bytes from field_assignment_file where id = :id")
                .param("id", fileId)
                .query((rs, n) -> new StoredFile(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                        rs.getString(6), rs.getInt(7)))
                .optional();
    }

    List<StoredFile> files(long assignmentId) {
        return jdbc.sql("select id, assignment_id, file_name, content_type, sha256, size_bytes from field_assignment_file where assignment_id = :a order by id")
                .param("a", assignmentId)
                .query((rs, n) -> new StoredFile(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), null, rs.getString(5),
                        rs.getInt(6)))
                .list();
    }

    void addEvent(long assignmentId, OffsetDateTime at, String actor, String event, String detail) {
        jdbc.sql("insert into field_assignment_event (assignment_id, at, actor, event, detail) values (:a, :at, :actor, :event, :detail)")
                .param("a", assignmentId).param("at", at).param("actor", actor).param("event", event)
                .param("detail", detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 1000)).update();
    }

    List<Event> events(long assignmentId) {
        return jdbc.sql("select at, actor, event, detail from field_assignment_event where assignment_id = :a order by id")
                .param("a", assignmentId)
                .query((rs, n) -> new Event(rs.getObject(1, OffsetDateTime.class), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    static Money money(BigDecimal amount, Currency currency) {
        return amount == null ? null : new Money(amount.setScale(currency.getDefaultFractionDigits(), RoundingMode.UNNECESSARY), currency);
    }

    private static FieldAssignment map(ResultSet rs, int row) throws SQLException {
        Currency currency = Currency.getInstance(rs.getString("currency"));
        return new FieldAssignment(rs.getLong("id"), rs.getString("ref"), rs.getString("company_id"), rs.getString("title"),
                rs.getString("description"), rs.getString("location"), rs.getObject("scheduled_start", OffsetDateTime.class),
                rs.getObject("scheduled_end", OffsetDateTime.class), money(rs.getBigDecimal("budget"), currency),
                money(rs.getBigDecimal("agreed_price"), currency), rs.getInt("payment_terms_days"), rs.getBoolean("check_in_required"),
                rs.getString("contact_name"), rs.getString("contact_phone"), rs.getString("contact_email"),
                FieldStatus.valueOf(rs.getString("status")), rs.getString("worker_id"), (Long) rs.getObject("application_id", Long.class),
                rs.getObject("confirmed_at", OffsetDateTime.class), rs.getObject("checked_in_at", OffsetDateTime.class),
                rs.getObject("checked_out_at", OffsetDateTime.class), rs.getBoolean("late"), rs.getBoolean("late_deliverables"),
                rs.getObject("submitted_at", OffsetDateTime.class), rs.getObject("approved_at", OffsetDateTime.class),
                rs.getString("hold_reason"), rs.getString("hold_note"), rs.getString("held_from"),
                money(rs.getBigDecimal("invoice_total"), currency), rs.getObject("invoice_date", LocalDate.class),
                rs.getObject("payment_due_on", LocalDate.class), rs.getObject("paid_at", OffsetDateTime.class),
                money(rs.getBigDecimal("fast_funds_fee"), currency), money(rs.getBigDecimal("cancel_payment"), currency),
                rs.getString("cancel_reason"), rs.getString("process_instance_id"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getString("confirm_before"), rs.getObject("proposed_start", OffsetDateTime.class),
                rs.getObject("proposed_end", OffsetDateTime.class), rs.getString("reschedule_answer"), rs.getString("review_decision"),
                rs.getString("review_reason"), rs.getObject("approval_expected_at", OffsetDateTime.class),
                rs.getObject("payment_due_at", OffsetDateTime.class), rs.getObject("fast_funds_requested_at", OffsetDateTime.class));
    }
}
