package io.gigflow.benchmark;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.GigflowApplication;
import io.gigflow.checklist.AgencyServices;
import io.gigflow.checklist.ChecklistOrderService;
import io.gigflow.checklist.ClientActivities;
import io.gigflow.checklist.TaskInput;
import io.gigflow.field.FieldAssignmentService;
import io.gigflow.field.FieldAssignmentView;
import io.gigflow.payout.TaskPayoutService;
import io.gigflow.payout.TaskView;
import io.gigflow.shared.EngineIndexes;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Prints figures, asserts nothing: the latency of every list a party opens (Todo with its
 * filters and badge counts, the company's and the contractor's task lists, the field-assignment
 * lists, the checklist orders, and Tasklist's query behind each shipped filter) with 100,000
 * open checklist items, 20,000 field assignments and 50,000 task payouts in the database, and
 * the query plans of the SQL behind each list.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.gigflow.benchmark.ListBenchmark \
 *     [-Dbenchmark.database=h2|postgres] [-Dbenchmark.scale=1.0] [-Dbenchmark.calls=200] [-Dbenchmark.clients=3]
 *     [-Dbenchmark.withoutIndexes=true] [-Dbenchmark.explain=true]</pre>
 *
 * <p>What is seeded, at scale 1 (a smaller scale has fewer agencies and companies of the same size):
 * <ul>
 *   <li>100 agencies with 3 staff (one admin), 5 clients and a service of 20 tasks; 50 one-off orders
 *       each, placed through {@link ChecklistOrderService} as the agency's staff: 5,000 running
 *       order-checklist instances, each waiting on its active item, and 100,000 open items;
 *       40 client activities each through {@link ClientActivities} (a quarter of them done).</li>
 *   <li>50 client companies with 400 field assignments each, published through
 *       {@link FieldAssignmentService}: 20,000 running instances; a tenth of them applied for by one
 *       of 500 field workers and assigned to that worker (ASSIGNED), the rest PUBLISHED.</li>
 *   <li>100 paying companies (funded by a top-up, as for real) with 500 task payouts each, for 1,000
 *       contractors: 50 drafts and 50 sent to the contractor (awaiting acceptance) through
 *       {@link TaskPayoutService}, 10,000 running instances; 400 paid ones written by SQL. A paid
 *       task's lifecycle is over, so the engine holds nothing of it at run time: its row is all a
 *       list reads, and writing it directly skips only the payout, its two PDFs and the emails.</li>
 * </ul>
 * The engine's job executor is stopped once the companies are funded: every step the seeding
 * takes runs in the caller's transaction, and the timers and emails it schedules are not what
 * is measured. Seeding runs on {@code benchmark.clients} threads.
 *
 * <p>Then each list is called {@code benchmark.calls} times (after a tenth as many unmeasured
 * calls) over HTTP as the person it is for, one call at a time: the domain API with HTTP Basic,
 * Tasklist's filters in a signed-in Tasklist session with the request Tasklist sends (first page
 * of 15, newest first, HAL). With {@code benchmark.withoutIndexes=true} every list is measured
 * first without the indexes of {@code V120__list_indexes.sql} and {@code EngineIndexes} (dropped
 * after seeding) and again once they are created, on the same data. With
 * {@code benchmark.explain=true} (the default) it prints the plan of the main statement behind
 * each list: {@code EXPLAIN ANALYZE} on H2, {@code EXPLAIN (ANALYZE, BUFFERS)} on PostgreSQL; the
 * engine's statements are captured from MyBatis' log while Tasklist's call runs.
 */
public final class ListBenchmark {

    private static final int ITEMS_PER_ORDER = 20;
    private static final int ORDERS_PER_AGENCY = 50;
    private static final int ACTIVITIES_PER_AGENCY = 40;
    private static final int ASSIGNMENTS_PER_COMPANY = 400;
    private static final int PAYOUTS_PER_COMPANY = 500;
    private static final int DRAFTS_PER_COMPANY = 50;
    private static final int SENT_PER_COMPANY = 50;
    private static final String TASKLIST_BODY = """
            {"processVariables":[],"taskVariables":[],"caseInstanceVariables":[],"sorting":[{"sortBy":"created","sortOrder":"desc"}]}""";

    private ListBenchmark() {
    }

    record Seeded(List<String[]> agencies, List<List<String>> clients, List<String[]> fieldCompanies, List<String> workers,
            List<String[]> payCompanies, List<String> contractors) {
    }

    /** One list: a label, who calls it and how, and the SQL behind it for EXPLAIN (null: captured from the engine). */
    record Call(String label, String user, String path, boolean tasklist, List<String> explain) {
    }

    public static void main(String[] args) throws Exception {
        double scale = Double.parseDouble(System.getProperty("benchmark.scale", "1.0"));
        int calls = Integer.getInteger("benchmark.calls", 200);
        int clients = Integer.getInteger("benchmark.clients", 3);
        String database = System.getProperty("benchmark.database", "h2");
        boolean withoutIndexes = Boolean.getBoolean("benchmark.withoutIndexes");
        boolean explain = Boolean.parseBoolean(System.getProperty("benchmark.explain", "true"));
        SpringApplication application = new SpringApplication(GigflowApplication.class);
        try (ConfigurableApplicationContext context = application.run(PayoutBenchmark.springArguments(database).toArray(String[]::new))) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            System.out.printf(Locale.ROOT, "%n== lists on %s, scale %.2f, %d cores%n", database, scale, Runtime.getRuntime().availableProcessors());
            long started = System.nanoTime();
            Seeded seeded = seed(context, port, scale, clients);
            System.out.printf(Locale.ROOT, "seeded in %.0f s%n", (System.nanoTime() - started) / 1e9);
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            boolean postgres = database.equals("postgres");
            analyze(jdbc, postgres);
            printVolumes(jdbc);
            List<Call> lists = lists(context, jdbc, seeded);
            List<String> indexes = listIndexes(postgres);
            if (withoutIndexes) {
                for (String index : indexes) {
                    jdbc.sql("drop index if exists " + indexName(index)).update();
                }
                analyze(jdbc, postgres);
                System.out.printf(Locale.ROOT, "%n-- without the list indexes (%d dropped)%n", indexes.size());
                measure(port, lists, calls, explain, jdbc, postgres);
                for (String index : indexes) {
                    jdbc.sql(index.replaceFirst("(?i)^create index (?!if not exists)", "create index if not exists ")).update();
                }
                analyze(jdbc, postgres);
                System.out.printf(Locale.ROOT, "%n-- with the list indexes%n");
            }
            measure(port, lists, calls, explain, jdbc, postgres);
        }
    }

    // ---- seeding

    private static Seeded seed(ConfigurableApplicationContext context, int port, double scale, int threads) throws Exception {
        IdentityService identity = context.getBean(IdentityService.class);
        Fixtures fixtures = new Fixtures(identity);
        Http http = Http.unchecked(port);
        int agencyCount = Math.max(2, (int) Math.round(100 * scale));
        int fieldCompanyCount = Math.max(2, (int) Math.round(50 * scale));
        int workerCount = Math.max(10, (int) Math.round(500 * scale));
        int payCompanyCount = Math.max(2, (int) Math.round(100 * scale));
        int contractorCount = Math.max(10, (int) Math.round(1000 * scale));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t = System.nanoTime();
            List<String[]> agencies = all(pool, agencyCount, i -> {
                String[] company = fixtures.company("agency");
                return new String[] {company[0], fixtures.agencyAdmin(company[0]), company[1], fixtures.member(company[0])};
            });
            List<List<String>> agencyClients = all(pool, agencyCount, i -> List.of(fixtures.client("cl"), fixtures.client("cl"),
                    fixtures.client("cl"), fixtures.client("cl"), fixtures.client("cl")));
            List<String[]> fieldCompanies = all(pool, fieldCompanyCount, i -> fixtures.company("site"));
            List<String> workers = all(pool, workerCount, i -> fixtures.fieldWorker("fw"));
            List<String[]> payCompanies = all(pool, payCompanyCount, i -> fixtures.company("payer"));
            List<String> contractors = all(pool, contractorCount, i -> fixtures.contractor("ct"));
            System.out.printf(Locale.ROOT, "people and companies   : %.0f s%n", (System.nanoTime() - t) / 1e9);

            t = System.nanoTime();
            Funding funding = new Funding(http, fixtures);
            BigDecimal fund = new BigDecimal("25.00").multiply(BigDecimal.valueOf(SENT_PER_COMPANY + 10));
            all(pool, payCompanyCount, i -> funding.company(payCompanies.get(i)[1], payCompanies.get(i)[0], fund.toPlainString(), "EUR"));
            System.out.printf(Locale.ROOT, "companies funded       : %.0f s%n", (System.nanoTime() - t) / 1e9);
            jobExecutor(context).shutdown();

            t = System.nanoTime();
            AgencyServices services = context.getBean(AgencyServices.class);
            List<String> serviceRefs = all(pool, agencyCount, i -> {
                String[] agency = agencies.get(i);
                List<TaskInput> tasks = new ArrayList<>();
                for (int k = 0; k < ITEMS_PER_ORDER; k++) {
                    // in every other agency the checklist starts with a client task: clients have tasks of their own
                    boolean client = i % 2 == 1 ? k % 5 == 0 : k % 5 == 4;
                    tasks.add(new TaskInput(null, null, "Step " + (k + 1), "Do step " + (k + 1) + " of the checklist",
                            k % 4 == 0 ? 0 : k, "ORDER", client ? List.of() : List.of(agency[1 + k % 3]), client || k % 2 == 0, client, null));
                }
                return fixtures.as(agency[1], () -> services.create(agency[0], new AgencyServices.ServiceInput("Monthly bookkeeping", tasks,
                        List.of())).ref());
            });
            ChecklistOrderService orders = context.getBean(ChecklistOrderService.class);
            all(pool, agencyCount * ORDERS_PER_AGENCY, n -> {
                int a = n % agencyCount;
                String[] agency = agencies.get(a);
                String client = agencyClients.get(a).get((n / agencyCount) % 5);
                return fixtures.as(agency[2], () -> orders.place(serviceRefs.get(a),
                        new ChecklistOrderService.PlaceOrder(client, null, null, "Order " + n, null)).ref());
            });
            ClientActivities activities = context.getBean(ClientActivities.class);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            all(pool, agencyCount * ACTIVITIES_PER_AGENCY, n -> {
                int a = n % agencyCount;
                int k = n / agencyCount;
                String[] agency = agencies.get(a);
                String client = agencyClients.get(a).get(k % 5);
                String assignee = k % 3 == 0 ? null : agency[1 + k % 3];
                String due = now.plusDays(k % 4 == 0 ? -2 : k).toString();
                return fixtures.as(agency[1], () -> {
                    ClientActivities.ActivityView added = activities.add(client,
                            new ClientActivities.NewActivity(agency[0], "Call about the quarter " + k, due, assignee));
                    return k % 4 == 1 ? activities.complete(client, added.id()) : added;
                });
            });
            System.out.printf(Locale.ROOT, "checklist orders       : %.0f s (%d orders, %d activities)%n", (System.nanoTime() - t) / 1e9,
                    agencyCount * ORDERS_PER_AGENCY, agencyCount * ACTIVITIES_PER_AGENCY);

            t = System.nanoTime();
            FieldAssignmentService field = context.getBean(FieldAssignmentService.class);
            AtomicInteger assigned = new AtomicInteger();
            all(pool, fieldCompanyCount * ASSIGNMENTS_PER_COMPANY, n -> {
                String[] company = fieldCompanies.get(n % fieldCompanyCount);
                OffsetDateTime start = now.plusDays(7 + n % 30).withHour(8).withMinute(0).withSecond(0).withNano(0);
                FieldAssignmentView published = fixtures.as(company[1], () -> field.publish(company[0], new FieldAssignmentService.NewAssignment(
                        "Install a router " + n, "Fibre router, two rooms", "Main St " + n, start.toString(), start.plusHours(6).toString(),
                        "120.00", "EUR", 14, false, List.of(), List.of(), "Site lead", null, null, null, List.of(), null)));
                if (n % 10 == 9) {
                    String worker = workers.get(n % workers.size());
                    FieldAssignmentView applied = fixtures.as(worker, () -> field.apply(published.ref(),
                            new FieldAssignmentService.Application("APPLY", null, null, null, null)));
                    long application = applied.applications().get(0).id();
                    fixtures.as(company[1], () -> field.choose(published.ref(), application));
                    assigned.incrementAndGet();
                }
                return published.ref();
            });
            System.out.printf(Locale.ROOT, "field assignments      : %.0f s (%d, %d assigned)%n", (System.nanoTime() - t) / 1e9,
                    fieldCompanyCount * ASSIGNMENTS_PER_COMPANY, assigned.get());

            t = System.nanoTime();
            TaskPayoutService payouts = context.getBean(TaskPayoutService.class);
            all(pool, payCompanyCount * (DRAFTS_PER_COMPANY + SENT_PER_COMPANY), n -> {
                String[] company = payCompanies.get(n % payCompanyCount);
                String contractor = contractors.get(n % contractors.size());
                return fixtures.as(company[1], () -> {
                    TaskView task = payouts.create(company[0], new TaskPayoutService.CreateTask(contractor, "Design review " + n,
                            "Review of the drawings", "25.00", "EUR", null, null));
                    if ((n / payCompanyCount) % 2 == 1) {
                        payouts.send(task.ref());
                    }
                    return task.ref();
                });
            });
            int paid = paidBySql(context.getBean(JdbcTemplate.class), payCompanies, contractors);
            System.out.printf(Locale.ROOT, "task payouts           : %.0f s (%d through the engine, %d paid by SQL)%n",
                    (System.nanoTime() - t) / 1e9, payCompanyCount * (DRAFTS_PER_COMPANY + SENT_PER_COMPANY), paid);
            return new Seeded(agencies, agencyClients, fieldCompanies, workers, payCompanies, contractors);
        } finally {
            pool.shutdown();
        }
    }

    /** Paid tasks: rows only (their lifecycle is over; the engine keeps nothing of them at run time). */
    private static int paidBySql(JdbcTemplate jdbc, List<String[]> companies, List<String> contractors) {
        int perCompany = PAYOUTS_PER_COMPANY - DRAFTS_PER_COMPANY - SENT_PER_COMPANY;
        List<Object[]> rows = new ArrayList<>();
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusDays(400);
        int n = 0;
        for (String[] company : companies) {
            for (int i = 0; i < perCompany; i++, n++) {
                Timestamp at = Timestamp.from(base.plusMinutes(n * 11L).toInstant());
                rows.add(new Object[] {"TP-" + n, company[0], contractors.get(n % contractors.size()), "Paid work " + n, new BigDecimal("25.0000"),
                        "EUR", "PAID", "paid-" + n, "ACCEPT", at, company[1], at, "SEND", contractors.get(n % contractors.size())});
            }
        }
        // oldest first, as they were paid
        rows.sort((x, y) -> ((Timestamp) x[9]).compareTo((Timestamp) y[9]));
        jdbc.batchUpdate("""
                insert into payout_task (ref, company_id, contractor_id, title, amount, currency, status, process_instance_id, decision,
                    created_at, created_by, updated_at, draft_decision, decided_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
        return rows.size();
    }

    interface Step<T> {
        T run(int n) throws Exception;
    }

    private static <T> List<T> all(ExecutorService pool, int count, Step<T> step) throws Exception {
        List<Future<T>> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            runs.add(pool.submit(() -> step.run(n)));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> run : runs) {
            results.add(run.get());
        }
        return results;
    }

    private static JobExecutor jobExecutor(ConfigurableApplicationContext context) {
        return ((ProcessEngineImpl) context.getBean(ProcessEngine.class)).getProcessEngineConfiguration().getJobExecutor();
    }

    // ---- the lists

    private static List<Call> lists(ConfigurableApplicationContext context, JdbcClient jdbc, Seeded s) {
        String[] agency = s.agencies().get(0);
        String staff = agency[2];
        String admin = agency[1];
        // a client whose order waits for it (a client task), a contractor with a task to accept
        String client = jdbc.sql("select assignee_ from ACT_RU_TASK where assignee_ like 'cl%' order by assignee_ fetch first 1 rows only")
                .query(String.class).single();
        String contractor = jdbc.sql("select contractor_id from payout_task where status = 'AWAITING_CONTRACTOR'"
                + " order by contractor_id fetch first 1 rows only").query(String.class).single();
        // a company with assigned work (every tenth assignment is assigned, so not every company has some)
        String[] withAssigned = s.fieldCompanies().stream().filter(c -> jdbc.sql("select count(*) from field_assignment where company_id = :c"
                + " and status = 'ASSIGNED'").param("c", c[0]).query(Long.class).single() > 0).findFirst().orElse(s.fieldCompanies().get(0));
        String fieldCompany = withAssigned[0];
        String fieldMember = withAssigned[1];
        String worker = jdbc.sql("select worker_id from field_assignment where worker_id is not null order by id fetch first 1 rows only")
                .query(String.class).single();
        String prospect = s.workers().get(s.workers().size() - 1);
        String payCompany = s.payCompanies().get(0)[0];
        String payMember = s.payCompanies().get(0)[1];
        String agencies = "'" + agency[0] + "'";
        String items = "select i.id, i.order_id, i.template_task_id, i.position, i.name, i.description, i.deadline_days, i.deadline_from,"
                + " i.assignees, i.visible_in_portal, i.client_task, i.status, i.active, i.activated_at, i.due_at, i.completed_at, i.completed_by"
                + " from checklist_item i join checklist_order o on o.id = i.order_id where o.agency_id in (" + agencies + ")"
                + " and o.status = 'OPEN' and i.status = 'OPEN' order by o.id, i.position, i.id fetch first 5000 rows only";
        String orders = "select * from checklist_order o where o.agency_id in (" + agencies + ") and o.status = 'OPEN'"
                + " order by o.id desc fetch first 500 rows only";
        String activities = "select * from client_activity where agency_id in (" + agencies + ") and status = 'OPEN'"
                + " order by due_at, id fetch first 2000 rows only";
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("Todo tasks (open, counts)", staff, "/api/todo/tasks", false, List.of(orders, items)));
        calls.add(new Call("Todo tasks ?status=active", staff, "/api/todo/tasks?status=active", false, List.of()));
        calls.add(new Call("Todo tasks ?status=pastDue", staff, "/api/todo/tasks?status=pastDue", false, List.of()));
        calls.add(new Call("Todo tasks ?assignee=me", staff, "/api/todo/tasks?assignee=me", false, List.of()));
        calls.add(new Call("Todo activities (open, counts)", admin, "/api/todo/activities", false, List.of(activities)));
        calls.add(new Call("Todo activities ?status=pastDue", staff, "/api/todo/activities?status=pastDue", false, List.of()));
        calls.add(new Call("Todo activities ?assignee=me", staff, "/api/todo/activities?assignee=me", false, List.of()));
        calls.add(new Call("Todo activities ?status=done", admin, "/api/todo/activities?status=done", false,
                List.of(activities.replace("'OPEN'", "'DONE'"))));
        calls.add(new Call("Checklist orders (staff)", staff, "/api/checklist-orders", false,
                List.of("select * from checklist_order o where o.agency_id in (" + agencies + ") order by o.id desc fetch first 500 rows only")));
        calls.add(new Call("Checklist orders ?status=OPEN", staff, "/api/checklist-orders?status=OPEN", false, List.of()));
        calls.add(new Call("Checklist orders (client)", client, "/api/checklist-orders", false,
                List.of("select * from checklist_order o where o.client_id = '" + client + "' order by o.id desc fetch first 500 rows only")));
        String payouts = "select * from payout_task where company_id = '" + payCompany + "'";
        calls.add(new Call("Company tasks", payMember, "/api/companies/" + payCompany + "/tasks", false,
                List.of(payouts + " order by id desc offset 0 rows fetch next 50 rows only")));
        calls.add(new Call("Company tasks ?status=DRAFT", payMember, "/api/companies/" + payCompany + "/tasks?status=DRAFT", false,
                List.of(payouts + " and status = 'DRAFT' order by id desc offset 0 rows fetch next 50 rows only")));
        calls.add(new Call("Company tasks ?status=AWAITING_CONTRACTOR", payMember,
                "/api/companies/" + payCompany + "/tasks?status=AWAITING_CONTRACTOR", false, List.of()));
        calls.add(new Call("Company tasks ?status=PAID&offset=300", payMember,
                "/api/companies/" + payCompany + "/tasks?status=PAID&offset=300", false, List.of()));
        calls.add(new Call("My tasks (contractor)", contractor, "/api/me/tasks", false, List.of("select * from payout_task where contractor_id = '"
                + contractor + "' and status not in ('DRAFT', 'DELETED') order by id desc offset 0 rows fetch next 50 rows only")));
        String field = "select * from field_assignment where ";
        calls.add(new Call("Field assignments (company)", fieldMember, "/api/companies/" + fieldCompany + "/field-assignments", false,
                List.of(field + "company_id = '" + fieldCompany + "' order by id desc offset 0 rows fetch next 50 rows only")));
        calls.add(new Call("Field assignments ?status=ASSIGNED", fieldMember,
                "/api/companies/" + fieldCompany + "/field-assignments?status=ASSIGNED", false,
                List.of(field + "company_id = '" + fieldCompany + "' and status = 'ASSIGNED' order by id desc offset 0 rows fetch next 50 rows only")));
        calls.add(new Call("Field assignments published", prospect, "/api/field-assignments/published", false,
                List.of(field + "status = 'PUBLISHED' and not exists (select 1 from field_assignment_application r where r.assignment_id ="
                        + " field_assignment.id and r.worker_id = '" + prospect + "' and r.status = 'REMOVED')"
                        + " order by id desc offset 0 rows fetch next 50 rows only")));
        calls.add(new Call("Field assignments (worker)", worker, "/api/me/field-assignments", false,
                List.of(field + "worker_id = '" + worker + "' and (status <> 'CANCELLED' or cancel_payment is not null)"
                        + " order by id desc offset 0 rows fetch next 50 rows only")));

        FilterService filters = context.getBean(FilterService.class);
        Map<String, List<String>> people = new LinkedHashMap<>();
        people.put("My company's open tasks", List.of(payMember, fieldMember, staff));
        people.put("My tasks", List.of(client, contractor, worker));
        people.put("My company's tasks", List.of(payMember, fieldMember, staff));
        people.put("Past due", List.of(staff, client, contractor));
        people.put("All my tasks", List.of(staff, prospect, payMember, client));
        people.put("Checklist tasks", List.of(staff, client));
        for (Filter filter : filters.createFilterQuery().orderByFilterId().asc().list()) {
            List<String> who = people.get(filter.getName());
            if (who == null && filter.getName().contains("(" + agency[0] + ")")) {
                who = List.of(staff);
            }
            if (who == null) {
                continue;
            }
            for (String user : who) {
                String base = "/camunda/api/engine/engine/default/filter/" + filter.getId();
                calls.add(new Call("Tasklist " + filter.getName() + " [" + role(s, user) + "] list", user,
                        base + "/list?firstResult=0&maxResults=15", true, null));
                calls.add(new Call("Tasklist " + filter.getName() + " [" + role(s, user) + "] count", user, base + "/count", true, null));
            }
        }
        return calls;
    }

    private static String role(Seeded s, String user) {
        if (s.agencies().stream().anyMatch(a -> List.of(a).contains(user))) {
            return "agency staff";
        }
        if (s.clients().stream().anyMatch(c -> c.contains(user))) {
            return "client";
        }
        if (s.fieldCompanies().stream().anyMatch(c -> c[1].equals(user))) {
            return "field client member";
        }
        if (s.payCompanies().stream().anyMatch(c -> c[1].equals(user))) {
            return "paying company member";
        }
        if (s.contractors().contains(user)) {
            return "contractor";
        }
        return "field worker";
    }

    // ---- measuring

    private static void measure(int port, List<Call> lists, int calls, boolean explain, JdbcClient jdbc, boolean postgres) throws Exception {
        Http http = Http.unchecked(port);
        Map<String, TasklistSession> sessions = new LinkedHashMap<>();
        System.out.printf(Locale.ROOT, "%-62s %8s %8s %8s %7s%n", "list", "p50 ms", "p95 ms", "p99 ms", "rows");
        Map<Call, List<String>> captured = new LinkedHashMap<>();
        for (Call call : lists) {
            Callable<Http.Response> request;
            if (call.tasklist()) {
                TasklistSession session = sessions.get(call.user());
                if (session == null) {
                    try {
                        session = new TasklistSession(port, call.user());
                    } catch (IllegalStateException e) {
                        System.out.printf(Locale.ROOT, "%-62s not measured: %s%n", call.label(), e.getMessage());
                        continue;
                    }
                    sessions.put(call.user(), session);
                }
                TasklistSession signedIn = session;
                request = () -> signedIn.post(call.path(), call.path().endsWith("/count") ? "{}" : TASKLIST_BODY);
            } else {
                request = () -> http.get(call.user(), call.path());
            }
            Http.Response first = request.call();
            if (first.status() != 200) {
                throw new IllegalStateException(call.label() + ": " + first.status() + " " + first.text());
            }
            for (int i = 0; i < Math.max(5, calls / 10); i++) {
                request.call();
            }
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                Http.Response response = request.call();
                latencies.add((System.nanoTime() - start) / 1e6);
                if (response.status() != 200) {
                    throw new IllegalStateException(call.label() + ": " + response.status());
                }
            }
            System.out.printf(Locale.ROOT, "%-62s %8.1f %8.1f %8.1f %7s%n", call.label(), percentile(latencies, 50), percentile(latencies, 95),
                    percentile(latencies, 99), rows(first.json()));
            if (explain && call.explain() == null) {
                captured.put(call, SqlCapture.during(request));
            }
        }
        if (!explain) {
            return;
        }
        for (Call call : lists) {
            List<String> statements = call.explain() == null ? captured.getOrDefault(call, List.of()) : call.explain();
            for (String sql : statements) {
                System.out.printf(Locale.ROOT, "%n-- plan: %s%n%s%n", call.label(), sql);
                String prefix = postgres ? "explain (analyze, buffers) " : "explain analyze ";
                jdbc.sql(prefix + sql).query((rs, n) -> rs.getString(1)).list().forEach(System.out::println);
            }
        }
    }

    private static String rows(JsonNode body) {
        if (body.isArray()) {
            return Integer.toString(body.size());
        }
        if (body.has("count")) {
            return body.get("count").asText();
        }
        if (body.has("items")) {
            JsonNode counts = body.get("counts");
            return body.get("items").size() + " " + counts.toString().replace("\"", "");
        }
        if (body.has("_embedded")) {
            JsonNode tasks = body.get("_embedded").get("task");
            return Integer.toString(tasks == null ? 0 : tasks.size());
        }
        return "?";
    }

    static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }

    private static void printVolumes(JdbcClient jdbc) {
        String[][] counts = {
                {"open checklist items", "select count(*) from checklist_item i join checklist_order o on o.id = i.order_id"
                        + " where o.status = 'OPEN' and i.status = 'OPEN'"},
                {"checklist orders", "select count(*) from checklist_order"},
                {"client activities", "select count(*) from client_activity"},
                {"field assignments", "select count(*) from field_assignment"},
                {"task payouts", "select count(*) from payout_task"},
                {"ACT_RU_TASK", "select count(*) from ACT_RU_TASK"},
                {"ACT_RU_EXECUTION", "select count(*) from ACT_RU_EXECUTION"},
                {"ACT_RU_VARIABLE", "select count(*) from ACT_RU_VARIABLE"},
                {"ACT_RU_IDENTITYLINK", "select count(*) from ACT_RU_IDENTITYLINK"},
                {"ACT_RU_AUTHORIZATION", "select count(*) from ACT_RU_AUTHORIZATION"},
                {"ACT_RU_JOB", "select count(*) from ACT_RU_JOB"},
                {"ACT_ID_USER", "select count(*) from ACT_ID_USER"},
        };
        for (String[] count : counts) {
            System.out.printf(Locale.ROOT, "%-22s : %,d%n", count[0], jdbc.sql(count[1]).query(Long.class).single());
        }
    }

    /** Fresh statistics, as autovacuum (PostgreSQL) or H2's own row counts would have after a bulk load. */
    private static void analyze(JdbcClient jdbc, boolean postgres) {
        jdbc.sql("analyze").update();
    }

    /** The statements of V120__list_indexes.sql and EngineIndexes (with those of the database measured), to drop and create them again. */
    static List<String> listIndexes(boolean postgres) throws Exception {
        List<String> indexes = new ArrayList<>();
        try (InputStream in = ListBenchmark.class.getResourceAsStream("/db/migration/V120__list_indexes.sql")) {
            if (in != null) {
                String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)--.*$", "");
                for (String statement : script.split(";")) {
                    if (!statement.isBlank()) {
                        indexes.add(statement.strip().replaceAll("\\s+", " "));
                    }
                }
            }
        }
        for (String index : EngineIndexes.INDEXES) {
            if (!index.contains("ix_act_ru_task_parent")) {
                indexes.add(index);
            }
        }
        indexes.addAll(postgres ? EngineIndexes.POSTGRES_INDEXES : EngineIndexes.H2_INDEXES);
        return indexes;
    }

    static String indexName(String createIndex) {
        Matcher m = Pattern.compile("(?i)create index (?:if not exists )?(\\S+) on").matcher(createIndex);
        if (!m.find()) {
            throw new IllegalArgumentException("not a create index: " + createIndex);
        }
        return m.group(1);
    }

    /**
     * The SQL the engine runs for a task query, taken from MyBatis' log of the two statements
     * (the list and its count) while one call runs, with its parameters put in as literals
     * (TasklistFilterPlansTest explains the statements of each shipped filter with it).
     */
    public static final class SqlCapture extends AppenderBase<ILoggingEvent> {

        private static final String[] STATEMENTS = {"org.camunda.bpm.engine.impl.persistence.entity.TaskEntity.selectTaskByQueryCriteria",
            "org.camunda.bpm.engine.impl.persistence.entity.TaskEntity.selectTaskCountByQueryCriteria"};
        private final List<String> messages = Collections.synchronizedList(new ArrayList<>());

        @Override
        protected void append(ILoggingEvent event) {
            messages.add(event.getFormattedMessage());
        }

        public static List<String> during(Callable<?> call) throws Exception {
            SqlCapture capture = new SqlCapture();
            capture.start();
            List<Logger> loggers = new ArrayList<>();
            for (String name : STATEMENTS) {
                Logger logger = (Logger) LoggerFactory.getLogger(name);
                logger.setLevel(Level.DEBUG);
                logger.setAdditive(false);
                logger.addAppender(capture);
                loggers.add(logger);
            }
            try {
                call.call();
            } finally {
                for (Logger logger : loggers) {
                    logger.detachAppender(capture);
                    logger.setLevel(null);
                    logger.setAdditive(true);
                }
            }
            List<String> statements = new ArrayList<>();
            String sql = null;
            for (String message : capture.messages) {
                if (message.contains("Preparing:")) {
                    sql = message.substring(message.indexOf("Preparing:") + 10).strip();
                } else if (message.contains("Parameters:") && sql != null) {
                    statements.add(bind(sql, message.substring(message.indexOf("Parameters:") + 11).strip()));
                    sql = null;
                }
            }
            return statements;
        }

        private static String bind(String sql, String parameters) {
            List<String> values = new ArrayList<>();
            Matcher m = Pattern.compile("(null|(.*?)\\((String|Integer|Long|Boolean|Timestamp|Date)\\))(, |$)").matcher(parameters);
            while (m.find()) {
                if (m.group(1).equals("null")) {
                    values.add("null");
                } else if (List.of("Integer", "Long", "Boolean").contains(m.group(3))) {
                    values.add(m.group(2));
                } else if (m.group(3).equals("String")) {
                    values.add("'" + m.group(2).replace("'", "''") + "'");
                } else {
                    values.add("timestamp '" + m.group(2) + "'");
                }
            }
            StringBuilder bound = new StringBuilder();
            int next = 0;
            for (char c : sql.toCharArray()) {
                bound.append(c == '?' && next < values.size() ? values.get(next++) : String.valueOf(c));
            }
            return bound.toString();
        }
    }

    /** Signed in to Tasklist as its login page does (session cookie, CSRF token); asks for HAL as Tasklist's task list does. */
    static final class TasklistSession {

        private final CookieManager cookies = new CookieManager();
        private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).build();
        private final String base;

        TasklistSession(int port, String user) throws Exception {
            this.base = "http://127.0.0.1:" + port;
            String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                    + URLEncoder.encode(Fixtures.PASSWORD, StandardCharsets.UTF_8);
            Http.Response login = null;
            for (int attempt = 0; attempt < 3 && (login == null || login.status() != 200); attempt++) {
                cookies.getCookieStore().removeAll();
                send(HttpRequest.newBuilder(URI.create(base + "/camunda/app/tasklist/")).GET());
                login = send(HttpRequest.newBuilder(URI.create(base + "/camunda/api/admin/auth/user/default/login/tasklist"))
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
            }
            if (login.status() != 200) {
                throw new IllegalStateException("Tasklist login of " + user + " failed: " + login.status() + " " + login.text());
            }
            // the signed-in session's CSRF token comes with its first answer, as Tasklist's first call after the login
            send(HttpRequest.newBuilder(URI.create(base + "/camunda/api/engine/engine/default/filter/count")).header("Accept", "application/json").GET());
        }

        Http.Response post(String path, String json) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/hal+json, application/json")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        private Http.Response send(HttpRequest.Builder request) throws Exception {
            cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN")).findFirst()
                    .ifPresent(token -> request.header("X-XSRF-TOKEN", token.getValue()));
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Http.Response(response.statusCode(), response.body(), response.headers());
        }
    }
}
