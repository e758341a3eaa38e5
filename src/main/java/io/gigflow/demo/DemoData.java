package io.gigflow.demo;

import io.gigflow.checklist.AgencyServices;
import io.gigflow.checklist.ChecklistOrderService;
import io.gigflow.checklist.ClientActivities;
import io.gigflow.checklist.TaskInput;
import io.gigflow.field.FieldAssignmentProcess;
import io.gigflow.field.FieldAssignmentService;
import io.gigflow.field.FieldAssignmentView;
import io.gigflow.field.FieldStatus;
import io.gigflow.identity.Parties;
import io.gigflow.milestone.ContractorMilestoneService;
import io.gigflow.milestone.MilestonePaymentService;
import io.gigflow.order.ServiceCatalog;
import io.gigflow.order.ServiceOrderService;
import io.gigflow.payout.PayoutSettings;
import io.gigflow.payout.TaskPayoutService;
import io.gigflow.topup.TopUpService;
import io.gigflow.topup.TopUpStatus;
import io.gigflow.topup.TopUpView;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Demo users and data for the default profile, created on the first start only: a company
 * with balances in EUR and USD (topped up and confirmed by the finance operator fiona), two contractors, tasks in several statuses; a provider with a
 * service, a customer and orders in several statuses. They go through the same use cases a
 * user's clicks would.
 */
@Component
@ConditionalOnProperty(name = "gigflow.demo.enabled", havingValue = "true")
class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    static final String PASSWORD = "demo";

    private final IdentityService identityService;
    private final TaskPayoutService payouts;
    private final PayoutSettings settings;
    private final Parties parties;
    private final ServiceCatalog catalog;
    private final ServiceOrderService orders;
    private final ContractorMilestoneService milestones;
    private final MilestonePaymentService milestonePayments;
    private final String port;
    private final AgencyServices agencyServices;
    private final ChecklistOrderService checklists;
    private final ClientActivities activities;
    private final FieldAssignmentService fieldAssignments;
    private final RuntimeService runtimeService;
    private final ManagementService managementService;
    private final TopUpService topUps;
    private final DemoDataReadiness readiness;

    DemoData(IdentityService identityService, TaskPayoutService payouts, PayoutSettings settings, Parties parties,
            ServiceCatalog catalog, ServiceOrderService orders, ContractorMilestoneService milestones,
            MilestonePaymentService milestonePayments, AgencyServices agencyServices, ChecklistOrderService checklists,
            ClientActivities activities, FieldAssignmentService fieldAssignments, RuntimeService runtimeService, ManagementService managementService, TopUpService topUps,
            DemoDataReadiness readiness, @Value("${server.port:8080}") String port) {
        this.topUps = topUps;
        this.readiness = readiness;
        this.milestones = milestones;
        this.milestonePayments = milestonePayments;
        this.agencyServices = agencyServices;
        this.checklists = checklists;
        this.activities = activities;
        this.fieldAssignments = fieldAssignments;
        this.runtimeService = runtimeService;
        this.managementService = managementService;
        this.catalog = catalog;
        this.orders = orders;
        this.identityService = identityService;
        this.payouts = payouts;
        this.settings = settings;
        this.parties = parties;
        this.port = port;
    }

    @EventListener(ApplicationReadyEvent.class)
    void createOnFirstStart() {
        if (identityService.createUserQuery().userId("alice").count() == 0) {
            create();
        }
        readiness.ready();
        log.info("""

                ==================================================================
                 gigflow is running with demo data.
                 Tasklist, Cockpit, Admin: http://localhost:{}/camunda/app/
                 Domain API (HTTP Basic):  http://localhost:{}/api/
                 Engine REST (HTTP Basic): http://localhost:{}/engine-rest/
                 Demo users, password "{}" for all:
                   demo   administrator (Cockpit, Admin)
                   carol  Acme Corp (company staff)
                   dan    Globex (company staff)
                   fiona  finance (confirms top-ups, pays out withdrawals)
                   alice  contractor (has a task to accept)
                   bob    contractor
                   pia    service provider (an order to start, a request to answer)
                   carl   customer (a delivery to confirm)
                   sara   Bright Web agency admin (checklist orders, Todo)
                   tom    Bright Web agency staff
                   cleo   agency client (a checklist task to approve)
                   walt   field worker (an assignment to confirm, FastFunds to take)
                   wendy  field worker (checked in on site, a submission in review)
                ==================================================================""", port, port, port, PASSWORD);
    }

    private void create() {
        company("acme", "Acme Corp");
        company("globex", "Globex");
        user("carol", "Carol", "Baker", "carol@acme.example", "acme");
        user("dan", "Dan", "Ortiz", "dan@globex.example", "globex");
        user("alice", "Alice", "Nowak", "alice@contractors.example", Parties.CONTRACTORS_GROUP);
        user("bob", "Bob", "Chen", "bob@contractors.example", Parties.CONTRACTORS_GROUP);

        user("fiona", "Fiona", "Grant", "fiona@gigflow.example", Parties.FINANCE_GROUP);

        // the companies pay in through the top-up lifecycle: registered by their staff, confirmed by fiona (finance)
        topUp("carol", "acme", "5000.00", "EUR", "DEMO-BANK-1");
        topUp("carol", "acme", "3000.00", "USD", "DEMO-BANK-2");
        topUp("dan", "globex", "800.00", "EUR", "DEMO-BANK-3");
        settings.setAutoPublish("globex", true, "demo");

        as("carol", () -> {
            payouts.create("acme", task("alice", "Translate the landing page", "<strong>EN to PL</strong>, about 1,200 words", "300.00", "EUR"));
            String logo = payouts.create("acme", task("alice", "Logo redesign", "Three concepts, <em>vector</em> files", "450.00", "EUR")).ref();
            payouts.send(logo);
            String audit = payouts.create("acme", task("bob", "Backend security audit", null, "1200.00", "USD")).ref();
            payouts.send(audit);
            String copy = payouts.create("acme", task("bob", "Product copywriting", "<ul><li>10 product pages</li></ul>", "200.00", "EUR")).ref();
            payouts.send(copy);
            as("bob", () -> {
                payouts.accept(audit);
                payouts.decline(copy, "Fully booked this month");
                return null;
            });
            return null;
        });
        as("dan", () -> payouts.create("globex", task("alice", "On-site photo shoot", null, "250.00", "EUR")));
        createMilestones();
        createServiceOrders();
        createChecklistOrder();
        createFieldAssignments();
        log.info("Demo data created");
    }

    /** Milestones of alice and bob at Acme: one in progress, one in review, one approved (a draft to pay), one paid. */
    private void createMilestones() {
        String wireframes = as("carol", () -> milestones.create("acme", "alice", milestone("App wireframes", "400.00", 14))).ref();
        String styleGuide = as("carol", () -> milestones.create("acme", "alice", milestone("Style guide", "250.00", 7))).ref();
        String api = as("carol", () -> milestones.create("acme", "bob", milestone("Payment API integration", "900.00", 10))).ref();
        String tests = as("carol", () -> milestones.create("acme", "bob", milestone("Load tests", "300.00", 5))).ref();
        as("alice", () -> milestones.complete(styleGuide, "Colours, type scale and components, as agreed", null));
        as("bob", () -> milestones.complete(api, "Integrated and tested against the sandbox", null));
        as("bob", () -> milestones.complete(tests, "Report attached to the ticket", null));
        as("carol", () -> milestones.approve(api));
        long testsPayment = as("carol", () -> milestones.approve(tests)).payment().id();
        as("carol", () -> milestonePayments.pay("acme", List.of(testsPayment)));
        log.info("Demo milestones: {} in progress, {} in review, {} approved, {} paid", wireframes, styleGuide, api, tests);
    }

    private static ContractorMilestoneService.CreateMilestone milestone(String title, String amount, int dueInDays) {
        return new ContractorMilestoneService.CreateMilestone(title, null, LocalDate.now().plusDays(dueInDays).toString(), amount,
                "EUR", null, null, null, null);
    }

    /** A provider's service and three orders of it: one to start, one paused by a request, one delivered. */
    private void createServiceOrders() {
        user("pia", "Pia", "Lopez", "pia@providers.example", Parties.PROVIDERS_GROUP);
        user("carl", "Carl", "Meyer", "carl@customers.example", Parties.CUSTOMERS_GROUP);
        topUp("carl", null, "600.00", "EUR", "DEMO-BANK-4");
        ServiceCatalog.Offering logo = as("pia", () -> catalog.publish(new ServiceCatalog.NewOffering("Logo design",
                "A logo in <strong>three</strong> concepts", "150.00", "EUR", 5, List.of(
                        new ServiceCatalog.NewOption("Source files", "30.00", 1),
                        new ServiceCatalog.NewOption("Express delivery", "50.00", 0)))));
        long sourceFiles = logo.options().get(0).id();
        as("carl", () -> orders.place(logo.ref(), new ServiceOrderService.PlaceOrder(List.of(sourceFiles), null)));
        String paused = as("carl", () -> orders.place(logo.ref(), new ServiceOrderService.PlaceOrder(null, null))).ref();
        String delivered = as("carl", () -> orders.place(logo.ref(), new ServiceOrderService.PlaceOrder(null, null))).ref();
        as("pia", () -> {
            orders.startWork(paused);
            orders.startWork(delivered);
            return orders.deliver(delivered, new ServiceOrderService.Delivery("Three concepts attached as discussed.", null));
        });
        as("carl", () -> orders.requestExtra(paused, new ServiceOrderService.ExtraRequest("A matching business card", 2, "40.00")));
    }

    /** An agency with an admin and a staff member, a service of four tasks, a client and a monthly order one task in. */
    private void createChecklistOrder() {
        company("brightweb", "Bright Web");
        Group admins = identityService.newGroup("brightweb" + Parties.AGENCY_ADMINS_SUFFIX);
        admins.setName("Bright Web admins");
        admins.setType("AGENCY_ADMINS");
        identityService.saveGroup(admins);
        user("sara", "Sara", "Kim", "sara@brightweb.example", "brightweb");
        identityService.createMembership("sara", admins.getId());
        user("tom", "Tom", "Reyes", "tom@brightweb.example", "brightweb");
        user("cleo", "Cleo", "Park", "cleo@clients.example", Parties.CLIENTS_GROUP);
        AgencyServices.ServiceView care = as("sara", () -> agencyServices.create("brightweb", new AgencyServices.ServiceInput(
                "Website care", List.of(
                        new TaskInput(null, null, "Kick-off call", "Agree on <strong>goals</strong> and access", 2, "ORDER",
                                List.of("sara"), true, false, null),
                        new TaskInput(null, null, "Approve the monthly plan", "<ul><li>pages</li><li>budget</li></ul>", 3, "PREVIOUS",
                                List.of(), true, true, null),
                        new TaskInput(null, null, "Update plugins", null, null, null, List.of("tom"), false, false, null),
                        new TaskInput(null, null, "Send the report", null, 14, "ORDER", List.of("sara", "tom"), true, false, null)),
                List.of(new TaskInput(null, null, "Speed audit", "A <em>Lighthouse</em> run", null, null, List.of("tom"), false, false, null)))));
        String order = as("sara", () -> checklists.place(care.ref(),
                new ChecklistOrderService.PlaceOrder("cleo", List.of("tom"), "P1M", null, null))).ref();
        long kickOff = as("sara", () -> checklists.get(order)).items().get(0).id();
        as("sara", () -> checklists.markDone(order, kickOff));
        as("sara", () -> activities.add("cleo", new ClientActivities.NewActivity("brightweb", "Ask about the shop launch date", null, "tom")));
    }

    /**
     * Two field workers and Acme's on-site assignments in every stage: one published with two
     * applications (one a counteroffer) and an open question, one assigned (not confirmed), one
     * checked in, one in review, one on hold, one cancelled, one paid, and one approved whose
     * worker, paid once before, may take FastFunds.
     */
    private void createFieldAssignments() {
        user("walt", "Walt", "Fischer", "walt@fieldworkers.example", Parties.FIELD_WORKERS_GROUP);
        user("wendy", "Wendy", "Ahmed", "wendy@fieldworkers.example", Parties.FIELD_WORKERS_GROUP);

        String paid = assignedField("Fix the front door lock", "Reception, Main St 1, Springfield", 2, "90.00", 0, "walt");
        workAndSubmit(paid, "walt");
        as("carol", () -> fieldAssignments.approve(paid));
        // FastFunds needs an earlier PAID assignment: the payout (payment terms of 0 days) is an
        // asynchronous step, and the job executor starts only after this start-up listener, so
        // the demo runs that instance's due jobs itself
        runDueJobsUntil(paid, FieldStatus.PAID);

        String approved = assignedField("Replace the gas meter", "Main St 1, Springfield", 3, "250.00", 14, "walt");
        workAndSubmit(approved, "walt");
        as("carol", () -> fieldAssignments.approve(approved));

        String review = assignedField("Mount the meeting room screen", "Main St 1, Springfield, room 2.14", 4, "140.00", 7, "wendy");
        workAndSubmit(review, "wendy");

        String onSite = assignedField("Repair the garage door", "Depot, Harbour Rd 9, Springfield", 5, "320.00", 14, "wendy");
        as("wendy", () -> fieldAssignments.checkIn(onSite));
        as("wendy", () -> fieldAssignments.postMessage(onSite, "On site, the spring is broken; replacing it now."));

        String toConfirm = assignedField("Read the water meters", "Warehouse, Canal St 4, Springfield", 6, "60.00", 14, "walt");

        String onHold = assignedField("Paint the loading bay lines", "Warehouse, Canal St 4, Springfield", 9, "200.00", 14, "wendy");
        as("carol", () -> fieldAssignments.hold(onHold, "SITE_NOT_READY", null));

        String published = publishedField("Install smart thermostats", "Main St 1, Springfield, floors 1 to 3", 10, "180.00");
        as("walt", () -> fieldAssignments.apply(published, new FieldAssignmentService.Application("APPLY",
                "I installed this model in twenty offices.", null, null, null)));
        as("wendy", () -> fieldAssignments.apply(published, new FieldAssignmentService.Application("COUNTEROFFER",
                "Three floors take a full day.", "210.00", null, null)));
        as("wendy", () -> fieldAssignments.ask(published, "Is there a lift to the third floor?"));

        String cancelled = publishedField("Clean the roof gutters", "Depot, Harbour Rd 9, Springfield", 12, "75.00");
        as("carol", () -> fieldAssignments.cancel(cancelled, null, "Done by the landlord"));

        log.info("Demo field assignments: {} paid, {} approved, {} in review, {} in progress, {} to confirm, {} on hold, {} published,"
                + " {} cancelled", paid, approved, review, onSite, toConfirm, onHold, published, cancelled);
    }

    private String publishedField(String title, String location, int inDays, String budget) {
        return publishField(title, location, inDays, budget, 14);
    }

    private String publishField(String title, String location, int inDays, String budget, int paymentTermsDays) {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(inDays).withHour(8);
        return as("carol", () -> fieldAssignments.publish("acme", new FieldAssignmentService.NewAssignment(title,
                "Bring your own tools. <strong>Ask at the reception</strong> for the keys.", location, start.toString(),
                start.plusHours(6).toString(), budget, "EUR", paymentTermsDays, true, List.of("Photo of the work"),
                List.of("Time on site"), "Frank Moss (facility manager)", "+1 555 0142", "facility@acme.example", null, null, null))).ref();
    }

    /** Published, walt or wendy applies at the budget, carol picks the application. */
    private String assignedField(String title, String location, int inDays, String budget, int paymentTermsDays, String worker) {
        String ref = publishField(title, location, inDays, budget, paymentTermsDays);
        FieldAssignmentView applied = as(worker, () -> fieldAssignments.apply(ref, new FieldAssignmentService.Application("APPLY", null,
                null, null, null)));
        long application = applied.applications().get(0).id();
        as("carol", () -> fieldAssignments.choose(ref, application));
        return ref;
    }

    private void workAndSubmit(String ref, String worker) {
        as(worker, () -> {
            fieldAssignments.confirm(ref);
            fieldAssignments.checkIn(ref);
            fieldAssignments.checkOut(ref);
            return fieldAssignments.submit(ref, new FieldAssignmentService.Submission(
                    Map.of("Photo of the work", "https://files.example/" + ref + "/after.jpg"), Map.of("Time on site", "3 h 20 min")));
        });
    }

    /**
     * A top-up registered by {@code payer} (for the company, or for itself when {@code companyId} is
     * null) and confirmed by fiona of finance with the full amount. The credit is an asynchronous
     * step and the job executor starts only after this start-up listener, so the demo runs it.
     */
    private void topUp(String payer, String companyId, String amount, String currency, String bankReference) {
        TopUpService.Registration registration = new TopUpService.Registration(amount, currency, "BANK_TRANSFER");
        TopUpView registered = as(payer, () -> companyId == null ? topUps.registerForMe(registration)
                : topUps.registerForCompany(companyId, registration));
        as("fiona", () -> topUps.confirm(registered.id(), new TopUpService.Confirmation(amount, bankReference)));
        String instance = runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(registered.reference()).singleResult().getId();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (as("fiona", () -> topUps.get(registered.id())).status() != TopUpStatus.CREDITED) {
            if (System.nanoTime() > deadline) {
                log.warn("Demo top-up {} is not credited after a minute; going on", registered.reference());
                return;
            }
            for (Job job : managementService.createJobQuery().processInstanceId(instance).executable().list()) {
                try {
                    managementService.executeJob(job.getId());
                } catch (RuntimeException e) {
                    log.debug("Demo job {} of {}: {}", job.getId(), registered.reference(), e.toString());
                }
            }
            pause();
        }
    }

    private void runDueJobsUntil(String ref, FieldStatus status) {
        // the assignment's instance: an open offer runs in an instance of its own under the same business key
        String instance = runtimeService.createProcessInstanceQuery().processDefinitionKey(FieldAssignmentProcess.KEY)
                .processInstanceBusinessKey(ref).singleResult().getId();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (as("carol", () -> fieldAssignments.get(ref)).status() != status) {
            if (System.nanoTime() > deadline) {
                log.warn("Demo field assignment {} is not {} after a minute; going on", ref, status);
                return;
            }
            for (Job job : managementService.createJobQuery().processInstanceId(instance).executable().list()) {
                try {
                    managementService.executeJob(job.getId());
                } catch (RuntimeException e) {
                    // taken by the job executor meanwhile, or failed (it retries): the status decides
                    log.debug("Demo job {} of {}: {}", job.getId(), ref, e.toString());
                }
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TaskPayoutService.CreateTask task(String contractor, String title, String description, String amount, String currency) {
        return new TaskPayoutService.CreateTask(contractor, title, description, amount, currency, null, null);
    }

    private void company(String id, String name) {
        Group group = identityService.newGroup(id);
        group.setName(name);
        group.setType(Parties.COMPANY_GROUP_TYPE);
        identityService.saveGroup(group);
    }

    private void user(String id, String first, String last, String email, String group) {
        User user = identityService.newUser(id);
        user.setFirstName(first);
        user.setLastName(last);
        user.setEmail(email);
        user.setPassword(PASSWORD);
        identityService.saveUser(user);
        identityService.createMembership(id, group);
    }

    private <T> T as(String userId, Supplier<T> action) {
        var previous = identityService.getCurrentAuthentication();
        identityService.setAuthentication(userId, parties.groupsOf(userId));
        try {
            return action.get();
        } finally {
            if (previous == null) {
                identityService.clearAuthentication();
            } else {
                identityService.setAuthentication(previous);
            }
        }
    }
}
