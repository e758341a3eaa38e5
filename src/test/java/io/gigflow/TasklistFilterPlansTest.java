package io.gigflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.benchmark.ListBenchmark;
import io.gigflow.checklist.AgencyServices;
import io.gigflow.checklist.TaskInput;
import io.gigflow.support.Fixtures;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.task.TaskQuery;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * How the database reads ACT_RU_TASK for the engine's SQL behind each shipped Tasklist filter,
 * for one person among thousands of other people's open tasks: the SQL is captured from
 * MyBatis' log while the filter's page (sorted as Tasklist sorts it, newest first) and count run
 * as the person, as ListBenchmark does for Tasklist's calls, and explained with
 * {@code EXPLAIN ANALYZE}. A filter is bounded when it reads at most {@link #BOUND} rows of
 * ACT_RU_TASK (the person has {@link #MINE} tasks; the others are {@link #OTHERS}).
 *
 * <p>The filters a database reads unbounded are listed with the reason
 * ({@link #unbounded()}); the lists must stay exact, so a change that bounds one of them (or
 * unbounds another) fails here. On H2 that is every filter with a candidate criterion: the
 * engine joins the identity links with a LEFT JOIN (its Task.xml: "identity links are always
 * left-joined") and H2 never reorders an outer join, so it starts from ACT_RU_TASK, where
 * nothing names the person, and no index changes that (docs/benchmarks.md, "Which filters read
 * every open task"); and an agency's filters, whose agency is a process variable checked by an
 * EXISTS for every open task. The other tasks are rows written by SQL (half assigned to other people, half
 * offered to other companies; half of each steps of the order checklist), removed again afterwards.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class TasklistFilterPlansTest {

    /** Other people's open tasks: a filter that reads all of them reads far more than {@link #BOUND}. */
    static final int OTHERS = 4_000;

    /** The person's tasks: two assigned (one past due), two offered to their company, one offered to them by name. */
    static final int MINE = 5;

    /** Rows of ACT_RU_TASK a statement may read and still count as reading the person's tasks only. */
    static final int BOUND = 4 * MINE;

    /** The shipped filters every person may read (AuthorizationSetup, ChecklistFilters), measured for a company member. */
    static final List<String> SHIPPED = List.of("My company's open tasks", "My tasks", "My company's tasks", "Past due",
            "All my tasks", "Checklist tasks");

    @Autowired FilterService filterService;
    @Autowired TaskService taskService;
    @Autowired IdentityService identityService;
    @Autowired JdbcClient jdbc;
    @Autowired AgencyServices agencyServices;

    /** The shipped filters this database reads unbounded, and why. */
    Map<String, String> unbounded() {
        String leftJoined = "the engine left-joins the identity links and H2 does not reorder an outer join: ";
        return Map.of(
                "My company's open tasks", leftJoined + "it reads every unassigned task (ACT_IDX_TASK_ASSIGNEE: ASSIGNEE_ IS NULL)",
                "My company's tasks", leftJoined + "it reads every open task",
                "All my tasks", leftJoined + "it reads every open task",
                "Checklist tasks", leftJoined + "it reads every open task",
                AGENCY, "the agency is a process variable: an EXISTS on ACT_RU_VARIABLE for every open task",
                AGENCY_CLIENTS, "the agency is a process variable: an EXISTS on ACT_RU_VARIABLE for every open task");
    }

    /** An agency's filters (ChecklistFilters), measured for the agency's admin. */
    static final String AGENCY = "Checklist · {agency}";
    static final String AGENCY_CLIENTS = "Checklist · {agency} · waiting for clients";

    /** The rows of ACT_RU_TASK the statement reads, from the database's own count. */
    long tasksRead(String sql) {
        String plan = String.join("\n", jdbc.sql("explain analyze " + sql).query(String.class).list());
        // the table's own count is indented as the table; the counts of its subqueries (a variable's EXISTS) further
        Matcher m = Pattern.compile("FROM \"PUBLIC\"\\.\"ACT_RU_TASK\" \"RES\"\n(?:    .*\n)*?    /\\* scanCount: (\\d+) \\*/").matcher(plan);
        assertThat(m.find()).as("H2's scanCount of ACT_RU_TASK in\n" + plan).isTrue();
        System.out.println(plan);
        return Long.parseLong(m.group(1));
    }

    /** The numbers 1 to n as a row source with the column {@code x}. */
    String series(int n) {
        return "(select x from system_range(1, " + n + ")) r";
    }

    @Test
    void eachShippedFilterReadsOnlyThePersonsTasksUnlessListedWithItsReason() throws Exception {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String person = acme[1];
        Date past = new Date(System.currentTimeMillis() - 86_400_000L);
        String[] agency = fixtures.company("agency");
        String admin = fixtures.agencyAdmin(agency[0]);
        fixtures.as(admin, () -> agencyServices.create(agency[0], new AgencyServices.ServiceInput("Bookkeeping",
                List.of(new TaskInput(null, null, "Step 1", "Do step 1", 0, "ORDER", List.of(admin), true, false, null)), List.of())));
        String agencyFilter = filterService.createFilterQuery().filterNameLike("Checklist · % (" + agency[0] + ")").singleResult().getName();
        Map<String, String[]> measured = new LinkedHashMap<>();
        SHIPPED.forEach(name -> measured.put(name, new String[] {name, person}));
        measured.put(AGENCY, new String[] {agencyFilter, admin});
        measured.put(AGENCY_CLIENTS, new String[] {agencyFilter + " · waiting for clients", admin});
        List<String> mine = List.of(
                assigned(standalone("mine, assigned", null), person),
                assigned(standalone("mine, assigned, past due", past), person),
                offeredToGroup(standalone("my company's", null), acme[0]),
                offeredToGroup(standalone("my company's, past due", past), acme[0]),
                offeredToUser(standalone("offered to me", null), person));
        try {
            // half of them steps of the order checklist (as its tasks are, in every agency), half standalone
            String checklist = jdbc.sql("select ID_ from ACT_RE_PROCDEF where KEY_ = 'order-checklist' order by VERSION_ desc")
                    .query(String.class).list().get(0);
            jdbc.sql("insert into ACT_RU_TASK (ID_, REV_, NAME_, PROC_DEF_ID_, CREATE_TIME_, LAST_UPDATED_, ASSIGNEE_, SUSPENSION_STATE_,"
                    + " PRIORITY_, DUE_DATE_, TASK_STATE_) select 'plans-' || r.x, 1, 'other',"
                    + " case when mod(r.x, 4) < 2 then '" + checklist + "' end, current_timestamp, current_timestamp,"
                    + " case when mod(r.x, 2) = 0 then 'plans-user-' || mod(r.x, 500) end, 1, 50,"
                    + " case when mod(r.x, 3) = 0 then current_timestamp - interval '1' day end, 'Created' from " + series(OTHERS)).update();
            jdbc.sql("insert into ACT_RU_IDENTITYLINK (ID_, REV_, TASK_ID_, TYPE_, GROUP_ID_) select 'plans-' || r.x, 1, 'plans-' || r.x,"
                    + " 'candidate', 'plans-company-' || mod(r.x, 50) from " + series(OTHERS) + " where mod(r.x, 2) = 1").update();
            // the platform offers a step it assigns to its assignee as well (HumanSteps.assignAndOffer)
            jdbc.sql("insert into ACT_RU_IDENTITYLINK (ID_, REV_, TASK_ID_, TYPE_, USER_ID_) select 'plans-' || r.x, 1, 'plans-' || r.x,"
                    + " 'candidate', 'plans-user-' || mod(r.x, 500) from " + series(OTHERS) + " where mod(r.x, 2) = 0").update();
            jdbc.sql("analyze").update();
            long open = jdbc.sql("select count(*) from ACT_RU_TASK").query(Long.class).single();

            Map<String, Long> reads = new LinkedHashMap<>();
            for (Map.Entry<String, String[]> shipped : measured.entrySet()) {
                String name = shipped.getKey();
                String who = shipped.getValue()[1];
                Filter filter = filterService.createFilterQuery().filterName(shipped.getValue()[0]).singleResult();
                assertThat(filter).as(name).isNotNull();
                // Tasklist's request: the first page, newest first, and the count
                TaskQuery newestFirst = taskService.createTaskQuery().orderByTaskCreateTime().desc();
                List<String> statements = new ArrayList<>(ListBenchmark.SqlCapture.during(() -> fixtures.as(who,
                        () -> filterService.listPage(filter.getId(), newestFirst, 0, 15))));
                statements.addAll(ListBenchmark.SqlCapture.during(() -> fixtures.as(who, () -> filterService.count(filter.getId()))));
                assertThat(statements).as(name + ": the engine's list and count").hasSize(2);
                long most = 0;
                for (String sql : statements) {
                    long read = tasksRead(sql);
                    System.out.printf("-- %s (%d open tasks): ACT_RU_TASK rows read %d%n%s%n", name, open, read, sql);
                    most = Math.max(most, read);
                }
                reads.put(name, most);
            }
            for (Map.Entry<String, Long> read : reads.entrySet()) {
                String reason = unbounded().get(read.getKey());
                if (reason != null) {
                    assertThat(read.getValue()).as(read.getKey() + " reads every open task: " + reason
                            + "; if it no longer does, take it off the list").isGreaterThan(BOUND);
                } else {
                    assertThat(read.getValue()).as(read.getKey() + ": rows of ACT_RU_TASK read, bounded by the person's tasks")
                            .isLessThanOrEqualTo(BOUND);
                }
            }
        } finally {
            jdbc.sql("delete from ACT_RU_IDENTITYLINK where TASK_ID_ like 'plans-%'").update();
            jdbc.sql("delete from ACT_RU_TASK where ID_ like 'plans-%'").update();
            mine.forEach(id -> taskService.deleteTask(id, true));
        }
    }

    private String standalone(String name, Date due) {
        Task task = taskService.newTask();
        task.setName(name);
        task.setDueDate(due);
        taskService.saveTask(task);
        return task.getId();
    }

    /** Assigned as the platform assigns a step: to the person, and offered to them too (HumanSteps.assignAndOffer). */
    private String assigned(String task, String user) {
        taskService.setAssignee(task, user);
        taskService.addCandidateUser(task, user);
        return task;
    }

    private String offeredToGroup(String task, String group) {
        taskService.addCandidateGroup(task, group);
        return task;
    }

    private String offeredToUser(String task, String user) {
        taskService.addCandidateUser(task, user);
        return task;
    }
}
