package io.gigflow.checklist;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class ActivityRepository {

    record Activity(long id, String agencyId, String clientId, String note, OffsetDateTime dueAt, String assigneeId, String status,
            String createdBy, OffsetDateTime createdAt, OffsetDateTime completedAt, String completedBy) {
    }

    private static final String COLUMNS = """
            id, agency_id, client_id, note, due_at, assignee_id, status, created_by, created_at, completed_at, completed_by""";

    private final JdbcClient jdbc;

    ActivityRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String agencyId, String clientId, String note, OffsetDateTime dueAt, String assigneeId, String createdBy,
            OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into client_activity (agency_id, client_id, note, due_at, assignee_id, status, created_by, created_at)
                values (:agency, :client, :note, :due, :assignee, 'OPEN', :by, :now)""")
                .param("agency", agencyId).param("client", clientId).param("note", note).param("due", dueAt)
                .param("assignee", assigneeId).param("by", createdBy).param("now", now).update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<Activity> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from client_activity where id = :id").param("id", id)
                .query(ActivityRepository::map).optional();
    }

    Optional<Activity> lock(long id) {
        return jdbc.sql("select " + COLUMNS + " from client_activity where id = :id for update").param("id", id)
                .query(ActivityRepository::map).optional();
    }

    void complete(long id, String by, OffsetDateTime at) {
        jdbc.sql("update client_activity set status = 'DONE', completed_at = :at, completed_by = :by where id = :id")
                .param("at", at).param("by", by).param("id", id).update();
    }

    List<Activity> ofClient(Collection<String> agencyIds, String clientId) {
        if (agencyIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from client_activity where agency_id in (:agencies) and client_id = :client"
                        + " order by id desc fetch first 1000 rows only")
                .param("agencies", List.copyOf(agencyIds)).param("client", clientId).query(ActivityRepository::map).list();
    }

    List<Activity> ofAgencies(Collection<String> agencyIds, String status) {
        if (agencyIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from client_activity where agency_id in (:agencies) and status = :status"
                        + " order by due_at, id fetch first 2000 rows only")
                .param("agencies", List.copyOf(agencyIds)).param("status", status).query(ActivityRepository::map).list();
    }

    private static Activity map(ResultSet rs, int row) throws SQLException {
        return new Activity(rs.getLong("id"), rs.getString("agency_id"), rs.getString("client_id"), rs.getString("note"),
                rs.getObject("due_at", OffsetDateTime.class), rs.getString("assignee_id"), rs.getString("status"),
                rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("completed_at", OffsetDateTime.class), rs.getString("completed_by"));
    }
}
