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

    /**
     * An agency's two filters name the agency by a process variable ({@code agencyId}; the second also the client's turn,
     * {@code clientTask}): an {@code EXISTS} on ACT_RU_VARIABLE. Among 5,000 orders of 100 other agencies, half of them
     * waiting for their client, each with its open step and its grant, the filters read the variables of one order at
     * most for each task they look at (EngineIndexes): H2 checks the {@code EXISTS} for every open task and finds the
     * task's own order's variable by the instance ({@link #assertVariablesOfOneOrderATask}); PostgreSQL finds the
     * agency's variables by value. Before, H2 read every order's {@code agencyId} for every open task (5,000 × 5,000 here;
     * seconds a call at 100,000 open items) and PostgreSQL every order's {@code agencyId} or every order waiting for a
     * client.
     */
    @Test
    void anAgencysFiltersReadOneOrdersVariablesATaskNotEveryOrders() throws Exception {
        Fixtures fixtures = new Fixtures(identityService);
        String[] agency = fixtures.company("agency");
        String admin = fixtures.agencyAdmin(agency[0]);
        fixtures.as(admin, () -> agencyServices.create(agency[0], new AgencyServices.ServiceInput("Bookkeeping",
                List.of(new TaskInput(null, null, "Step 1", "Do step 1", 0, "ORDER", List.of(admin), true, false, null)), List.of())));
        String agencyFilter = filterService.createFilterQuery().filterNameLike("Checklist · % (" + agency[0] + ")").singleResult().getName();
        int orders = 5_000;
        String checklist = jdbc.sql("select ID_ from ACT_RE_PROCDEF where KEY_ = 'order-checklist' order by VERSION_ desc")
                .query(String.class).list().get(0);
        try {
            jdbc.sql("insert into ACT_RU_EXECUTION (ID_, REV_, PROC_INST_ID_, PROC_DEF_ID_, IS_ACTIVE_, IS_CONCURRENT_, IS_SCOPE_,"
                    + " IS_EVENT_SCOPE_, SUSPENSION_STATE_) select 'vplans-' || r.x, 1, 'vplans-' || r.x, :definition, true, false, true,"
                    + " false, 1 from " + series(orders)).param("definition", checklist).update();
            // two steps of each order, and a variable of each step (as the steps' forms have): more tasks than orders
            for (String step : List.of("vplans-", "vplans-b-")) {
                jdbc.sql("insert into ACT_RU_TASK (ID_, REV_, NAME_, PROC_DEF_ID_, PROC_INST_ID_, EXECUTION_ID_, CREATE_TIME_, LAST_UPDATED_,"
                        + " SUSPENSION_STATE_, PRIORITY_, TASK_STATE_) select :step || r.x, 1, 'other agency''s step', :definition,"
                        + " 'vplans-' || r.x, 'vplans-' || r.x, current_timestamp, current_timestamp, 1, 50, 'Created' from " + series(orders))
                        .param("step", step).param("definition", checklist).update();
            }
            jdbc.sql("insert into ACT_RU_VARIABLE (ID_, REV_, TYPE_, NAME_, EXECUTION_ID_, PROC_INST_ID_, TASK_ID_, TEXT_, VAR_SCOPE_)"
                    + " select 'vplans-shown-' || t.ID_, 1, 'string', 'title', t.EXECUTION_ID_, t.PROC_INST_ID_, t.ID_, 'Step', t.ID_"
                    + " from ACT_RU_TASK t where t.ID_ like 'vplans-%'").update();
            jdbc.sql("insert into ACT_RU_IDENTITYLINK (ID_, REV_, TASK_ID_, TYPE_, GROUP_ID_) select 'vplans-' || r.x, 1, 'vplans-' || r.x,"
                    + " 'candidate', 'vplans-agency-' || mod(r.x, 100) from " + series(orders)).update();
            jdbc.sql("insert into ACT_RU_AUTHORIZATION (ID_, REV_, TYPE_, GROUP_ID_, RESOURCE_TYPE_, RESOURCE_ID_, PERMS_)"
                    + " select 'vplans-' || r.x, 1, 1, 'vplans-agency-' || mod(r.x, 100), 7, 'vplans-' || r.x, 6 from " + series(orders)).update();
            jdbc.sql("insert into ACT_RU_VARIABLE (ID_, REV_, TYPE_, NAME_, EXECUTION_ID_, PROC_INST_ID_, PROC_DEF_ID_, TEXT_, VAR_SCOPE_,"
                    + " SEQUENCE_COUNTER_, IS_CONCURRENT_LOCAL_) select 'vplans-agency-' || r.x, 1, 'string', 'agencyId', 'vplans-' || r.x,"
                    + " 'vplans-' || r.x, :definition, 'vplans-agency-' || mod(r.x, 100), 'vplans-' || r.x, 1, false from " + series(orders))
                    .param("definition", checklist).update();
            jdbc.sql("insert into ACT_RU_VARIABLE (ID_, REV_, TYPE_, NAME_, EXECUTION_ID_, PROC_INST_ID_, PROC_DEF_ID_, LONG_, VAR_SCOPE_,"
                    + " SEQUENCE_COUNTER_, IS_CONCURRENT_LOCAL_) select 'vplans-client-' || r.x, 1, 'boolean', 'clientTask', 'vplans-' || r.x,"
                    + " 'vplans-' || r.x, :definition, mod(r.x, 2), 'vplans-' || r.x, 1, false from " + series(orders))
                    .param("definition", checklist).update();
            // a process variable may hold 4,000 characters of text that do not compress: the indexes take it
            StringBuilder text = new StringBuilder();
            java.util.Random random = new java.util.Random(16);
            while (text.length() < 4_000) {
                text.append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
            }
            jdbc.sql("insert into ACT_RU_VARIABLE (ID_, REV_, TYPE_, NAME_, EXECUTION_ID_, PROC_INST_ID_, TEXT_, VAR_SCOPE_)"
                    + " values ('vplans-long', 1, 'string', 'description', 'vplans-1', 'vplans-1', :text, 'vplans-1')")
                    .param("text", text.substring(0, 4_000)).update();
            jdbc.sql("analyze").update();
            long open = jdbc.sql("select count(*) from ACT_RU_TASK").query(Long.class).single();
            for (String name : List.of(agencyFilter, agencyFilter + " · waiting for clients")) {
                Filter filter = filterService.createFilterQuery().filterName(name).singleResult();
                List<String> count = ListBenchmark.SqlCapture.during(() -> fixtures.as(admin, () -> filterService.count(filter.getId())));
                assertThat(count).as(name).hasSize(1);
                long tasks = tasksRead(count.get(0));
                System.out.printf("-- %s among %d other orders (%d open tasks): rows of ACT_RU_TASK read %d%n%s%n", name, orders, open, tasks,
                        count.get(0));
                assertVariablesOfOneOrderATask(name, count.get(0));
                if (!unbounded().containsKey(AGENCY)) {
                    assertThat(tasks).as(name + ": rows of ACT_RU_TASK read").isLessThanOrEqualTo(BOUND);
                }
                assertThat(fixtures.as(admin, () -> filterService.count(filter.getId()))).as(name).isZero();
            }
        } finally {
            jdbc.sql("delete from ACT_RU_VARIABLE where ID_ like 'vplans-%'").update();
            jdbc.sql("delete from ACT_RU_AUTHORIZATION where ID_ like 'vplans-%'").update();
            jdbc.sql("delete from ACT_RU_IDENTITYLINK where ID_ like 'vplans-%'").update();
            jdbc.sql("delete from ACT_RU_TASK where ID_ like 'vplans-%'").update();
            jdbc.sql("delete from ACT_RU_EXECUTION where ID_ like 'vplans-%'").update();
        }
    }

    /**
     * H2 checks the variable's {@code EXISTS} once for every open task; it must find it by the task's instance
     * ({@code PROC_INST_ID_ = RES.PROC_INST_ID_} as the index condition), not among every instance's variables of that
     * name by the engine's index on task, name and type, which H2 prefers when there are more tasks than instances. (H2's
     * scanCount of a correlated subquery is its last run's only, so the plan's index is what is checked.)
     */
    void assertVariablesOfOneOrderATask(String name, String sql) {
        String plan = String.join("\n", jdbc.sql("explain analyze " + sql).query(String.class).list());
        Matcher m = Pattern.compile("FROM \"PUBLIC\"\\.\"ACT_RU_VARIABLE\"\n\\s*/\\* (.*?)\\*/", Pattern.DOTALL).matcher(plan);
        int found = 0;
        while (m.find()) {
            found++;
            assertThat(m.group(1)).as(name + ": how H2 finds a task's variable, in\n" + plan).contains("PROC_INST_ID_ = RES.PROC_INST_ID_");
        }
        assertThat(found).as(name + ": the variable's EXISTS in\n" + plan).isPositive();
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
