package io.gigflow.demo;

import io.gigflow.checklist.AgencyServices;
import io.gigflow.checklist.ChecklistOrderService;
import io.gigflow.checklist.ClientActivities;
import io.gigflow.checklist.TaskInput;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.milestone.ContractorMilestoneService;
import io.gigflow.milestone.MilestonePaymentService;
import io.gigflow.order.ServiceCatalog;
import io.gigflow.order.ServiceOrderService;
import io.gigflow.payout.PayoutSettings;
import io.gigflow.payout.TaskPayoutService;
import io.gigflow.shared.Money;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Demo users and data for the default profile, created on the first start only: a company
 * with balances in EUR and USD, two contractors, tasks in several statuses; a provider with a
 * service, a customer and orders in several statuses. They go through the same use cases a
 * user's clicks would.
 */
@Component
@ConditionalOnProperty(name = "gigflow.demo.enabled", havingValue = "true")
class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    static final String PASSWORD = "demo";

    private final IdentityService identityService;
    private final Ledger ledger;
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

    DemoData(IdentityService identityService, Ledger ledger, TaskPayoutService payouts, PayoutSettings settings, Parties parties,
            ServiceCatalog catalog, ServiceOrderService orders, ContractorMilestoneService milestones,
            MilestonePaymentService milestonePayments, AgencyServices agencyServices, ChecklistOrderService checklists,
            ClientActivities activities, @Value("${server.port:8080}") String port) {
        this.milestones = milestones;
        this.milestonePayments = milestonePayments;
        this.agencyServices = agencyServices;
        this.checklists = checklists;
        this.activities = activities;
        this.catalog = catalog;
        this.orders = orders;
        this.identityService = identityService;
        this.ledger = ledger;
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
                   alice  contractor (has a task to accept)
                   bob    contractor
                   pia    service provider (an order to start, a request to answer)
                   carl   customer (a delivery to confirm)
                   sara   Bright Web agency admin (checklist orders, Todo)
                   tom    Bright Web agency staff
                   cleo   agency client (a checklist task to approve)
                ==================================================================""", port, port, port, PASSWORD);
    }

    private void create() {
        company("acme", "Acme Corp");
        company("globex", "Globex");
        user("carol", "Carol", "Baker", "carol@acme.example", "acme");
        user("dan", "Dan", "Ortiz", "dan@globex.example", "globex");
        user("alice", "Alice", "Nowak", "alice@contractors.example", Parties.CONTRACTORS_GROUP);
        user("bob", "Bob", "Chen", "bob@contractors.example", Parties.CONTRACTORS_GROUP);

        ledger.transfer("demo:top-up:acme:EUR", AccountRef.external(), AccountRef.company("acme"), Money.of("5000.00", "EUR"), "Top-up demo-1");
        ledger.transfer("demo:top-up:acme:USD", AccountRef.external(), AccountRef.company("acme"), Money.of("3000.00", "USD"), "Top-up demo-2");
        ledger.transfer("demo:top-up:globex:EUR", AccountRef.external(), AccountRef.company("globex"), Money.of("800.00", "EUR"), "Top-up demo-3");
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
        ledger.transfer("demo:top-up:carl:EUR", AccountRef.external(), AccountRef.user("carl"), Money.of("600.00", "EUR"), "Top-up demo-4");
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
