package io.gigflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.shared.EngineIndexes;
import io.gigflow.shared.H2Replanning;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The indexes the lists need exist (V120__list_indexes.sql and {@link EngineIndexes}), and H2
 * reads each list's page through an index, not by scanning the table: dropping or renaming one
 * of them fails here, long before a list with 100,000 rows behind it becomes slow
 * (ListBenchmark measures the latencies).
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class ListQueryPlansTest {

    /**
     * Each list's main statement as its repository runs it, and the start of the name of the
     * indexes it may be read through (H2 picks among an owner's indexes by its own estimates;
     * PostgreSQL reads the page from the {@code _page} index in the list's order).
     */
    private static final List<String[]> PLANS = List.of(
            new String[] {"select * from payout_task where company_id = 'c' order by id desc offset 0 rows fetch next 50 rows only",
                "IX_PAYOUT_TASK_COMPANY"},
            new String[] {"select * from payout_task where company_id = 'c' and status = 'PAID' order by id desc offset 0 rows fetch next 50 rows only",
                "IX_PAYOUT_TASK_COMPANY"},
            new String[] {"select * from payout_task where contractor_id = 'c' and status not in ('DRAFT', 'DELETED') order by id desc"
                + " offset 0 rows fetch next 50 rows only", "IX_PAYOUT_TASK_CONTRACTOR"},
            new String[] {"select * from field_assignment where status = 'PUBLISHED' and not exists (select 1 from field_assignment_application r"
                + " where r.assignment_id = field_assignment.id and r.worker_id = 'w' and r.status = 'REMOVED') order by id desc"
                + " offset 0 rows fetch next 50 rows only", "IX_FIELD_ASSIGNMENT_STATUS"},
            new String[] {"select * from field_assignment where company_id = 'c' order by id desc offset 0 rows fetch next 50 rows only",
                "IX_FIELD_ASSIGNMENT_COMPANY"},
            new String[] {"select * from field_assignment where company_id = 'c' and status = 'ASSIGNED' order by id desc"
                + " offset 0 rows fetch next 50 rows only", "IX_FIELD_ASSIGNMENT_COMPANY"},
            new String[] {"select * from field_assignment where worker_id = 'w' and (status <> 'CANCELLED' or cancel_payment is not null)"
                + " and company_id not in ('c') order by id desc offset 0 rows fetch next 50 rows only", "IX_FIELD_ASSIGNMENT_WORKER"},
            new String[] {"select * from checklist_order o where o.agency_id in ('a') and o.status = 'OPEN' order by o.id desc"
                + " fetch first 500 rows only", "IX_CHECKLIST_ORDER_AGENCY"},
            new String[] {"select i.* from checklist_item i join checklist_order o on o.id = i.order_id where o.agency_id in ('a')"
                + " and o.status = 'OPEN' and i.status = 'OPEN' order by o.id, i.position, i.id fetch first 5000 rows only",
                "IX_CHECKLIST_ORDER_AGENCY"},
            new String[] {"select * from client_activity where agency_id in ('a') and status = 'OPEN' order by due_at, id"
                + " fetch first 2000 rows only", "IX_CLIENT_ACTIVITY_OPEN"});

    @Autowired JdbcClient jdbc;

    @Test
    void everyListIndexExists() {
        List<String> expected = List.of("IX_PAYOUT_TASK_COMPANY_PAGE", "IX_PAYOUT_TASK_COMPANY_STATUS_PAGE", "IX_PAYOUT_TASK_CONTRACTOR_PAGE",
                "IX_FIELD_ASSIGNMENT_STATUS_PAGE", "IX_FIELD_ASSIGNMENT_COMPANY_PAGE", "IX_FIELD_ASSIGNMENT_COMPANY_STATUS_PAGE",
                "IX_FIELD_ASSIGNMENT_WORKER_PAGE", "IX_CHECKLIST_ORDER_AGENCY_PAGE", "IX_CHECKLIST_ITEM_OPEN", "IX_ACT_RU_TASK_PARENT");
        List<String> present = jdbc.sql("select index_name from information_schema.indexes").query(String.class).list();
        assertThat(present).containsAll(expected);
        for (String index : EngineIndexes.INDEXES) {
            String name = index.replaceFirst("(?i)^create index if not exists (\\S+) on .*$", "$1").toUpperCase(Locale.ROOT);
            assertThat(present).as("created by EngineIndexes: " + index).contains(name);
        }
    }

    /** The application's H2 is watched: a table that grows past 1,024 rows is analysed and the statements planned again. */
    @Test
    void aTableThatGrowsIsAnalysedAndItsStatementsPlannedAgain(@Autowired H2Replanning replanning) throws Exception {
        jdbc.sql("create table replanning_probe (id int primary key, owner varchar(20))").update();
        try {
            // fewer rows than H2 changes before it analyses a table by itself (2,000)
            jdbc.sql("insert into replanning_probe select x, 'owner-' || mod(x, 500) from system_range(1, 1500)").update();
            replanning.replanGrownTables(); // or the node's own look, every 10 s, got there first
            assertThat(jdbc.sql("select selectivity from information_schema.columns where table_name = 'REPLANNING_PROBE'"
                    + " and column_name = 'OWNER'").query(Integer.class).single()).as("analysed: 500 owners of 1,500 rows").isEqualTo(33);
            assertThat(replanning.replanGrownTables()).as("analysed once for its size").doesNotContain("REPLANNING_PROBE");
        } finally {
            jdbc.sql("drop table replanning_probe").update();
        }
    }

    @Test
    void everyListReadsItsPageThroughAnIndex() {
        for (String[] plan : PLANS) {
            String explained = String.join("\n", jdbc.sql("explain " + plan[0]).query(String.class).list());
            assertThat(explained).as(plan[0]).contains("PUBLIC." + plan[1]).doesNotContain("tableScan");
        }
    }
}
