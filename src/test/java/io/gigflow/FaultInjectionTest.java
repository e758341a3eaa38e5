package io.gigflow;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.ledger.LedgerEntry;
import io.gigflow.shared.FaultInjector;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.PaymentProvider;
import io.gigflow.support.WebTestBase;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Incident;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Faults in every side-effect step (ledger transfer, PDF, email) under concurrent load over
 * real HTTP, with the job executor running and GreenMail receiving the emails: task payouts,
 * service orders, top-ups confirmed by the payment provider's signed webhook, and withdrawals
 * paid out, rejected or cancelled. The retries converge to the same end state with nothing done
 * twice (per currency, the money in from outside minus the money paid out is what all balances,
 * escrows and holds keep), and retries that run out become incidents (steps) and failed emails
 * that an operator resolves through /engine-rest and /api/operator/emails, after which the
 * processes complete and each email is sent once. (The same repair from Cockpit, in a real browser: {@link CockpitBrowserTest}.)
 */
class FaultInjectionTest extends WebTestBase {

    /** The test profile's administrator (camunda.bpm.admin-user in application-test.yaml). */
    private static final String ADMIN = "admin";
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired ProcessEngine processEngine;
    @Autowired FaultInjector faults;
    @Autowired JdbcClient jdbc;
    @Autowired Ledger ledger;
    @Value("${gigflow.payments.webhook-secret}") String webhookSecret;

    Http http;
    Fixtures fixtures;
    String company;
    List<String> companyMembers;
    List<String> contractors;
    String provider;
    String service;
    List<String> customers;
    String finance;
    String payroll;
    List<String> withdrawers;
    Map<String, Long> destinations;
    PaymentProvider paymentProvider;

    /** What each withdrawer earned before the load: paid by the payroll company, withdrawn from during it. */
    static final BigDecimal EARNINGS = new BigDecimal("1000.00");

    @BeforeEach
    void givenACompanyContractorsAProviderCustomersAndWithdrawers() throws InterruptedException {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        companyMembers = List.of(acme[1], fixtures.member(company));
        contractors = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            contractors.add(fixtures.contractor("con"));
        }
        Funding funding = new Funding(http, fixtures);
        finance = funding.finance();
        paymentProvider = new PaymentProvider(port, webhookSecret);
        funding.company(companyMembers.get(0), company, "100000.00", "EUR");
        provider = fixtures.provider("pro");
        service = ok(http.post(provider, "/api/me/services", json(Map.of("title", "Photo retouch", "basePrice", "50.00",
                "currency", "EUR", "deliveryDays", 3)))).json().get("ref").asText();
        customers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String customer = fixtures.customer("cus");
            funding.customer(customer, "1000.00", "EUR");
            customers.add(customer);
        }
        // contractors who withdraw what another company paid them, to an IBAN on their profile
        String[] payrollCompany = fixtures.company("payroll");
        payroll = payrollCompany[1];
        funding.company(payroll, payrollCompany[0], "10000.00", "EUR");
        withdrawers = new ArrayList<>();
        destinations = new HashMap<>();
        Set<String> earnings = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String withdrawer = fixtures.contractor("wd");
            withdrawers.add(withdrawer);
            destinations.put(withdrawer, ok(http.post(withdrawer, "/api/me/payout-destinations", json(Map.of("kind", "IBAN",
                    "iban", "DE89370400440532013000", "holderName", "Wanda Withdrawer")))).json().get("id").asLong());
            String ref = ok(http.post(payroll, "/api/companies/" + payrollCompany[0] + "/tasks", json(Map.of("contractorId", withdrawer,
                    "title", "Earnings", "amount", EARNINGS.toPlainString(), "currency", "EUR")))).json().get("ref").asText();
            ok(http.post(payroll, "/api/tasks/" + ref + "/send", null));
            ok(http.post(withdrawer, "/api/tasks/" + ref + "/accept", null));
            earnings.add(taskInstance(ref));
        }
        // the earnings paid, with their documents and emails, before any fault is switched on
        awaitAll("the withdrawers' earnings are paid", () -> runtimeService.createProcessInstanceQuery().processInstanceIds(earnings).count() == 0
                && pendingEmails() == 0);
        for (String withdrawer : withdrawers) {
            assertThat(balance(withdrawer, "/api/me/balances")).as(withdrawer).isEqualByComparingTo(EARNINGS);
        }
    }

    @AfterEach
    void switchTheFaultsOff() {
        faults.reset();
    }

    @Test
    void underConcurrentLoadWithAThirdOfTheSideEffectsFailingEveryLifecycleEndsOnceAndNothingIsDoneTwice() throws Exception {
        int tasks = 200;
        int orders = 24;
        int topUps = 24;
        int withdrawals = 18;
        long incidentsBefore = runtimeService.createIncidentQuery().count();
        withRetries("R15/PT1S", () -> {
            // a third of the executions of every side-effect step fail; fifteen attempts make an
            // incident (a 0.3^15 chance a step) practically impossible, so each must converge
            faults.setRate(FaultInjector.LEDGER_TRANSFER, 0.3);
            faults.setRate(FaultInjector.PDF, 0.3);
            faults.setRate(FaultInjector.EMAIL, 0.3);
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<Future<String[]>> runs = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    int n = i;
                    runs.add(clients.submit(() -> taskLifecycle(n)));
                }
                for (int i = 0; i < orders; i++) {
                    int n = i;
                    runs.add(clients.submit(() -> orderLifecycle(n)));
                }
                for (int i = 0; i < topUps; i++) {
                    int n = i;
                    runs.add(clients.submit(() -> topUpLifecycle(n)));
                }
                for (int i = 0; i < withdrawals; i++) {
                    int n = i;
                    runs.add(clients.submit(() -> withdrawalLifecycle(n)));
                }
                Map<String, String> outcomes = new HashMap<>();
                for (Future<String[]> run : runs) {
                    String[] outcome = run.get();
                    outcomes.put(outcome[0], outcome[1]);
                }
                Set<String> instances = outcomes.keySet().stream().map(this::instanceOf).collect(Collectors.toSet());
                awaitAll("every lifecycle ended", () -> runtimeService.createProcessInstanceQuery().processInstanceIds(instances).count() == 0
                        && pendingEmails() == 0, () -> stillOpen(instances));
                assertEndStates(outcomes);
            } finally {
                clients.shutdownNow();
            }
            return null;
        });
        assertThat(runtimeService.createIncidentQuery().count()).as("incidents").isEqualTo(incidentsBefore);
    }

    @Test
    void exhaustedRetriesBecomeIncidentsThatAnOperatorResolvesThroughEngineRestAndTheProcessesComplete() throws Exception {
        // the tests' retry cycle is R3/PT1S: three failures and the step is an incident; an email
        // is FAILED after its fifteenth attempt (WebTestBase)
        faults.setRate(FaultInjector.PDF, 1.0);
        faults.setRate(FaultInjector.EMAIL, 1.0);
        List<String> documentsFail = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String ref = createAndSend(i, "30.00");
            ok(http.post(contractors.get(i), "/api/tasks/" + ref + "/accept", null));
            documentsFail.add(ref);
        }
        // paid (the ledger works), and then the closing documents fail
        awaitAll("the first three are paid", () -> documentsFail.stream().allMatch(ref -> status(ref).equals("PAID")));
        faults.setRate(FaultInjector.LEDGER_TRANSFER, 1.0);
        String payoutFails = createAndSend(3, "40.00");
        ok(http.post(contractors.get(3), "/api/tasks/" + payoutFails + "/accept", null));
        String refundFails = createAndSend(4, "45.00");
        ok(http.post(companyMembers.get(0), "/api/tasks/" + refundFails + "/cancel", null));
        String orderRefundFails = placeOrderExpiringIn(customers.get(0), "PT1S");

        Set<String> stuck = new HashSet<>();
        documentsFail.forEach(ref -> stuck.add(taskInstance(ref)));
        stuck.add(taskInstance(payoutFails));
        stuck.add(taskInstance(refundFails));
        stuck.add(orderInstance(orderRefundFails));
        awaitAll("an incident on each of the six lifecycles, and their emails failed", () -> stuck.stream()
                .allMatch(id -> runtimeService.createIncidentQuery().processInstanceId(id).count() == 1)
                && failedEmails().size() >= 6 && pendingEmails() == 0);
        for (String id : stuck) {
            Incident incident = runtimeService.createIncidentQuery().processInstanceId(id).singleResult();
            assertThat(incident.getIncidentType()).isEqualTo(Incident.FAILED_JOB_HANDLER_TYPE);
            assertThat(incident.getIncidentMessage()).startsWith("injected fault in step");
        }
        assertThat(status(documentsFail.get(0))).isEqualTo("PAID"); // paid, its documents still owed
        assertThat(status(payoutFails)).isEqualTo("AWAITING_CONTRACTOR");
        assertThat(documents(documentsFail.get(0))).isZero();
        assertThat(transfers("task-payout:" + payoutFails + ":payout")).isZero();

        // the operator: the faults are gone (the SMTP server is back, ...), then the failed jobs are retried
        faults.reset();
        Set<String> failedInstances = new HashSet<>(stuck);
        Http.Response failedJobs = admin("GET", "/engine-rest/job?withException=true&noRetriesLeft=true&firstResult=0&maxResults=1000", null);
        assertThat(failedJobs.status()).as(failedJobs.text()).isEqualTo(200);
        List<String> jobIds = new ArrayList<>();
        failedJobs.json().forEach(job -> {
            if (failedInstances.contains(job.get("processInstanceId").asText())) {
                jobIds.add(job.get("id").asText());
            }
        });
        assertThat(jobIds).hasSameSizeAs(stuck);
        // one at a time, as from an incident's page ...
        for (String jobId : jobIds.subList(0, 3)) {
            Http.Response retried = admin("PUT", "/engine-rest/job/" + jobId + "/retries", "{\"retries\":1}");
            assertThat(retried.status()).as(retried.text()).isEqualTo(204);
        }
        // ... and the rest in one batch
        Http.Response batch = admin("POST", "/engine-rest/job/retries",
                json(Map.of("jobIds", jobIds.subList(3, jobIds.size()), "retries", 1)));
        assertThat(batch.status()).as(batch.text()).isEqualTo(200);
        // nobody but an operator may do this
        assertThat(http.send(contractors.get(0), "PUT", "/engine-rest/job/" + jobIds.get(0) + "/retries", "{\"retries\":1}").status())
                .isIn(403, 404);
        // the failed emails: the operator lists them (with the error) and sends each again; nobody else may
        Http.Response failedEmails = admin("GET", "/api/operator/emails?status=FAILED&limit=200", null);
        assertThat(failedEmails.status()).as(failedEmails.text()).isEqualTo(200);
        List<Long> emailIds = new ArrayList<>(failedEmails());
        assertThat(failedEmails.text()).contains("injected fault in step email");
        assertThat(http.send(contractors.get(0), "GET", "/api/operator/emails", null).status()).isEqualTo(403);
        assertThat(http.send(contractors.get(0), "POST", "/api/operator/emails/" + emailIds.get(0) + "/retry", "{}").status())
                .isEqualTo(403);
        for (long emailId : emailIds) {
            Http.Response retried = admin("POST", "/api/operator/emails/" + emailId + "/retry", "{}");
            assertThat(retried.status()).as(retried.text()).isEqualTo(202);
        }
        assertThat(admin("POST", "/api/operator/emails/" + emailIds.get(0) + "/retry", "{}").status()).as("not FAILED any more")
                .isEqualTo(409);

        awaitAll("the repaired lifecycles ended", () -> stuck.stream().allMatch(id -> runtimeService.createProcessInstanceQuery()
                .processInstanceId(id).count() == 0) && failedEmails().isEmpty() && pendingEmails() == 0);
        for (String ref : documentsFail) {
            assertThat(documents(ref)).isEqualTo(2);
            assertThat(transfers("task-payout:" + ref + ":payout")).isEqualTo(1);
        }
        assertThat(status(payoutFails)).isEqualTo("PAID");
        assertThat(transfers("task-payout:" + payoutFails + ":payout")).isEqualTo(1);
        assertThat(status(refundFails)).isEqualTo("DECLINED_BY_COMPANY");
        assertThat(transfers("task-payout:" + refundFails + ":refund")).isEqualTo(1);
        assertThat(http.get(customers.get(0), "/api/orders/" + orderRefundFails).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(transfers("service-order:" + orderRefundFails + ":refund")).isEqualTo(1);
        assertEmailsSentOnce();
        assertThat(ledger.invariantViolations()).isEmpty();
        BigDecimal paid = new BigDecimal("30.00").multiply(BigDecimal.valueOf(3)).add(new BigDecimal("40.00"));
        assertThat(balance(companyMembers.get(0), "/api/companies/" + company + "/balances")).isEqualByComparingTo(
                new BigDecimal("100000.00").subtract(paid));
        assertThat(balance(customers.get(0), "/api/me/balances")).isEqualByComparingTo("1000.00");
    }

    // ---- the lifecycles the clients run

    /** Returns {process instance id, expected end}: PAID, DECLINED_BY_CONTRACTOR or DECLINED_BY_COMPANY. */
    private String[] taskLifecycle(int n) {
        String amount = (10 + n % 40) + "." + String.format("%02d", n % 100);
        String ref = createAndSend(n, amount);
        String contractor = contractors.get(n % contractors.size());
        String outcome = switch (n % 5) {
            case 3 -> {
                ok(http.post(contractor, "/api/tasks/" + ref + "/decline", json(Map.of("reason", "No time"))));
                yield "DECLINED_BY_CONTRACTOR";
            }
            case 4 -> {
                ok(http.post(companyMembers.get(n % 2), "/api/tasks/" + ref + "/cancel", null));
                yield "DECLINED_BY_COMPANY";
            }
            default -> {
                ok(http.post(contractor, "/api/tasks/" + ref + "/accept", null));
                yield "PAID";
            }
        };
        return new String[] {"task:" + ref, outcome + ":" + amount};
    }

    /** Even: started, delivered and confirmed (DONE, escrow released); odd: never started (CANCELLED, refunded). */
    private String[] orderLifecycle(int n) {
        String customer = customers.get(n % customers.size());
        if (n % 2 == 1) {
            return new String[] {"order:" + placeOrderExpiringIn(customer, "PT2S"), "CANCELLED"};
        }
        String ref = ok(http.post(customer, "/api/services/" + service + "/orders", null)).json().get("ref").asText();
        ok(http.post(provider, "/api/orders/" + ref + "/start", null));
        ok(http.post(provider, "/api/orders/" + ref + "/deliver", json(Map.of("message", "Done, see attached",
                "attachment", Map.of("fileName", "photo.txt", "contentType", "text/plain",
                        "contentBase64", Base64.getEncoder().encodeToString(("photo " + n).getBytes(StandardCharsets.UTF_8)))))));
        ok(http.post(customer, "/api/orders/" + ref + "/confirm", null));
        return new String[] {"order:" + ref, "DONE"};
    }

    /**
     * A member of the company (even) or a customer (odd) registers a top-up paid through the
     * payment provider, whose signed event credits it; every third event is delivered twice, as
     * providers deliver at least once, and the second delivery is answered as a replay.
     * Returns {"top-up:" + id, "CREDITED:" + amount + ":" + payer}.
     */
    private String[] topUpLifecycle(int n) {
        String amount = (20 + n) + ".50";
        boolean forCompany = n % 2 == 0;
        String payer = forCompany ? companyMembers.get(n / 2 % 2) : customers.get(n % customers.size());
        JsonNode topUp = ok(http.post(payer, forCompany ? "/api/companies/" + company + "/top-ups" : "/api/me/top-ups",
                json(Map.of("amount", amount, "currency", "EUR", "method", "PAYMENT_PROVIDER")))).json();
        String event = PaymentProvider.paymentSucceeded(Fixtures.unique("evt_"), topUp.get("reference").asText(), amount, "EUR",
                "pi_" + topUp.get("id").asText());
        JsonNode first = ok(paymentProvider.deliver(event)).json();
        assertThat(first.get("outcome").asText()).isEqualTo("accepted");
        assertThat(first.get("topUp").asLong()).isEqualTo(topUp.get("id").asLong());
        if (n % 3 == 0) {
            JsonNode again = ok(paymentProvider.deliver(event)).json();
            assertThat(again.get("replayed").asBoolean()).as("the second delivery of %s", event).isTrue();
            assertThat(again.get("topUp").asLong()).isEqualTo(topUp.get("id").asLong());
        }
        return new String[] {"top-up:" + topUp.get("id").asText(), "CREDITED:" + amount + ":" + (forCompany ? "company" : payer)};
    }

    /**
     * A contractor withdraws part of its earnings; finance pays it out (four of six), rejects it
     * (one), or the contractor cancels it (one). Returns {"withdrawal:" + ref, status + ":" + amount + ":" + withdrawer}.
     */
    private String[] withdrawalLifecycle(int n) {
        String withdrawer = withdrawers.get(n % withdrawers.size());
        String amount = (10 + n) + ".25";
        String ref = ok(http.post(withdrawer, "/api/me/withdrawals", json(Map.of("amount", amount, "currency", "EUR",
                "destinationId", destinations.get(withdrawer))))).json().get("ref").asText();
        String status = switch (n % 6) {
            case 4 -> {
                ok(http.post(finance, "/api/withdrawals/" + ref + "/rejection", json(Map.of("reason", "The bank returned it"))));
                yield "REJECTED";
            }
            case 5 -> {
                ok(http.post(withdrawer, "/api/me/withdrawals/" + ref + "/cancellation", null));
                yield "CANCELLED";
            }
            default -> {
                ok(http.post(finance, "/api/withdrawals/" + ref + "/payout", json(Map.of("bankReference", "BANK-" + ref))));
                yield "PAID_OUT";
            }
        };
        return new String[] {"withdrawal:" + ref, status + ":" + amount + ":" + withdrawer};
    }

    private String createAndSend(int n, String amount) {
        String member = companyMembers.get(n % 2);
        String ref = ok(http.post(member, "/api/companies/" + company + "/tasks", json(Map.of("contractorId",
                contractors.get(n % contractors.size()), "title", "Task " + n, "amount", amount, "currency", "EUR"))))
                .json().get("ref").asText();
        ok(http.post(member, "/api/tasks/" + ref + "/send", null));
        return ref;
    }

    /** Started through /engine-rest with a short start deadline, which the job executor's timer ends. */
    private String placeOrderExpiringIn(String customer, String deadline) {
        Http.Response started = ok(http.post(customer, "/engine-rest/process-definition/key/service-order/start",
                "{\"variables\":{\"customerId\":{\"value\":\"" + customer + "\",\"type\":\"String\"},"
                        + "\"serviceRef\":{\"value\":\"" + service + "\",\"type\":\"String\"},"
                        + "\"startDeadline\":{\"value\":\"" + deadline + "\",\"type\":\"String\"}}}"));
        return started.json().get("businessKey").asText();
    }

    // ---- the end state

    private String instanceOf(String key) {
        String ref = key.substring(key.indexOf(':') + 1);
        if (key.startsWith("top-up:")) {
            return jdbc.sql("select process_instance_id from top_up where id = :id").param("id", Long.parseLong(ref)).query(String.class).single();
        }
        if (key.startsWith("withdrawal:")) {
            return jdbc.sql("select process_instance_id from withdrawal where ref = :r").param("r", ref).query(String.class).single();
        }
        return key.startsWith("task:") ? taskInstance(ref) : orderInstance(ref);
    }

    private void assertEndStates(Map<String, String> outcomes) throws Exception {
        Set<String> transferKeys = new HashSet<>(jdbc.sql("select idempotency_key from ledger_transfer").query(String.class).list());
        Map<String, BigDecimal> paidTo = new HashMap<>();
        BigDecimal paidByCompany = BigDecimal.ZERO;
        Map<String, BigDecimal> toppedUp = new HashMap<>(); // "company" or the customer -> credited
        Map<String, BigDecimal> withdrawn = new HashMap<>(); // withdrawer -> paid out
        BigDecimal creditedTotal = BigDecimal.ZERO;
        BigDecimal paidOutTotal = BigDecimal.ZERO;
        for (Map.Entry<String, String> outcome : outcomes.entrySet()) {
            String ref = outcome.getKey().substring(outcome.getKey().indexOf(':') + 1);
            if (outcome.getKey().startsWith("top-up:")) {
                String[] expected = outcome.getValue().split(":");
                BigDecimal amount = new BigDecimal(expected[1]);
                JsonNode topUp = http.get(finance, "/api/top-ups/" + ref).json();
                assertThat(topUp.get("status").asText()).as("top-up %s", ref).isEqualTo(expected[0]);
                assertThat(topUp.get("confirmedVia").asText()).as("top-up %s", ref).isEqualTo("PROVIDER");
                assertThat(new BigDecimal(topUp.get("receivedAmount").asText())).as("top-up %s", ref).isEqualByComparingTo(amount);
                assertThat(transfers("top-up:" + ref + ":credit")).as("top-up %s", ref).isOne();
                assertThat(externalTransfers("top-up:" + ref + ":credit")).as("top-up %s", ref).isEqualByComparingTo(amount);
                assertThat(jdbc.sql("select count(*) from payment_event where top_up_id = :id").param("id", Long.parseLong(ref))
                        .query(Long.class).single()).as("payment events of top-up %s", ref).isOne();
                // registered and credited, to each payer (a company's members, or the customer)
                assertThat(notifications(topUp.get("reference").asText())).as("top-up %s", ref)
                        .isEqualTo(2L * (expected[2].equals("company") ? companyMembers.size() : 1));
                toppedUp.merge(expected[2], amount, BigDecimal::add);
                creditedTotal = creditedTotal.add(amount);
                continue;
            }
            if (outcome.getKey().startsWith("withdrawal:")) {
                String[] expected = outcome.getValue().split(":");
                BigDecimal amount = new BigDecimal(expected[1]);
                JsonNode withdrawal = http.get(finance, "/api/withdrawals/" + ref).json();
                assertThat(withdrawal.get("status").asText()).as("withdrawal %s", ref).isEqualTo(expected[0]);
                String key = "withdrawal:" + ref;
                assertThat(transfers(key + ":hold")).as(ref).isOne();
                boolean paidOut = expected[0].equals("PAID_OUT");
                assertThat(transfers(key + ":paid")).as(ref).isEqualTo(paidOut ? 1 : 0);
                assertThat(transfers(key + ":returned")).as(ref).isEqualTo(paidOut ? 0 : 1);
                // requested (to the withdrawer), to pay out (to finance), and the outcome (to the withdrawer)
                assertThat(notificationsTo(key, people())).as(ref).isEqualTo(3);
                if (paidOut) {
                    assertThat(externalTransfers(key + ":paid")).as(ref).isEqualByComparingTo(amount.negate());
                    withdrawn.merge(expected[2], amount, BigDecimal::add);
                    paidOutTotal = paidOutTotal.add(amount);
                }
                continue;
            }
            if (outcome.getKey().startsWith("task:")) {
                String expected = outcome.getValue().substring(0, outcome.getValue().indexOf(':'));
                BigDecimal amount = new BigDecimal(outcome.getValue().substring(outcome.getValue().indexOf(':') + 1));
                JsonNode task = http.get(companyMembers.get(0), "/api/tasks/" + ref).json();
                assertThat(task.get("status").asText()).as(ref).isEqualTo(expected);
                String key = "task-payout:" + ref;
                assertThat(transferKeys).as(ref).contains(key + ":reserve");
                if (expected.equals("PAID")) {
                    assertThat(transferKeys).as(ref).contains(key + ":payout").doesNotContain(key + ":refund");
                    assertThat(documents(ref)).as(ref).isEqualTo(2);
                    paidTo.merge(task.get("contractorId").asText(), amount, BigDecimal::add);
                    paidByCompany = paidByCompany.add(amount);
                    assertThat(notifications(key)).as(ref).isEqualTo(2 + companyMembers.size());
                } else {
                    assertThat(transferKeys).as(ref).contains(key + ":refund").doesNotContain(key + ":payout");
                    assertThat(documents(ref)).as(ref).isZero();
                    assertThat(notifications(key)).as(ref).isEqualTo(1 + (expected.equals("DECLINED_BY_CONTRACTOR") ? companyMembers.size() : 1));
                }
            } else {
                // the provider is a party of every order
                assertThat(http.get(provider, "/api/orders/" + ref).json().get("status").asText()).as(ref).isEqualTo(outcome.getValue());
                String key = "service-order:" + ref;
                assertThat(transferKeys).as(ref).contains(key + ":payment");
                if (outcome.getValue().equals("DONE")) {
                    assertThat(transferKeys).as(ref).contains(key + ":release").doesNotContain(key + ":refund");
                } else {
                    assertThat(transferKeys).as(ref).contains(key + ":refund").doesNotContain(key + ":release");
                }
            }
        }
        // each PDF once, readable, naming its task
        long paidTasks = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("task:") && e.getValue().startsWith("PAID:")).count();
        assertThat(paidTasks).isPositive();
        assertThat(jdbc.sql("select count(*) from document where company_id = :c").param("c", company).query(Long.class).single())
                .isEqualTo(2 * paidTasks);
        String anyPaid = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("task:") && e.getValue().startsWith("PAID:"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        byte[] pdf = jdbc.sql("select content from document where reference = :r and doc_type = 'INVOICE'")
                .param("r", "task-payout:" + anyPaid.substring(5)).query((rs, row) -> rs.getBytes(1)).single();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(new PDFTextStripper().getText(document)).contains(anyPaid.substring(5));
        }
        assertEmailsSentOnce();
        assertThat(ledger.invariantViolations()).isEmpty();
        for (String contractor : contractors) {
            assertThat(balance(contractor, "/api/me/balances")).as(contractor)
                    .isEqualByComparingTo(paidTo.getOrDefault(contractor, BigDecimal.ZERO));
        }
        assertThat(balance(companyMembers.get(0), "/api/companies/" + company + "/balances"))
                .isEqualByComparingTo(new BigDecimal("100000.00").subtract(paidByCompany).add(toppedUp.getOrDefault("company", BigDecimal.ZERO)));
        for (String withdrawer : withdrawers) {
            assertThat(balance(withdrawer, "/api/me/balances")).as("%s: earned minus paid out; the ledger's entries:%n%s", withdrawer,
                            entries(withdrawer))
                    .isEqualByComparingTo(EARNINGS.subtract(withdrawn.getOrDefault(withdrawer, BigDecimal.ZERO)));
        }
        assertThat(creditedTotal).isPositive();
        assertThat(paidOutTotal).isPositive();
        assertExternalInMinusOutIsWhatTheBalancesKeep();
        long done = outcomes.values().stream().filter("DONE"::equals).count();
        assertThat(balance(provider, "/api/me/balances")).isEqualByComparingTo(new BigDecimal("50.00").multiply(BigDecimal.valueOf(done)));
        BigDecimal customersTotal = BigDecimal.ZERO;
        BigDecimal customersToppedUp = BigDecimal.ZERO;
        for (String customer : customers) {
            customersTotal = customersTotal.add(balance(customer, "/api/me/balances"));
            customersToppedUp = customersToppedUp.add(toppedUp.getOrDefault(customer, BigDecimal.ZERO));
        }
        assertThat(customersTotal).isEqualByComparingTo(new BigDecimal("4000.00").add(customersToppedUp)
                .subtract(new BigDecimal("50.00").multiply(BigDecimal.valueOf(done))));
    }

    /**
     * Every email of this test's people was sent, and GreenMail holds exactly one message per
     * notification (told apart by the dedup header).
     */
    /** The person's postings, oldest first, one a line: what a wrong balance is made of. */
    private String entries(String person) {
        List<LedgerEntry> entries = new ArrayList<>(ledger.entries(AccountRef.user(person), java.util.Currency.getInstance("EUR"), 1000));
        java.util.Collections.reverse(entries);
        return entries.stream().map(e -> e.postingId() + " " + e.amount() + " -> " + e.balanceAfter() + " " + e.counterparty() + " " + e.description())
                .collect(Collectors.joining("\n"));
    }

    private void assertEmailsSentOnce() throws MessagingException {
        Set<String> people = people();
        Map<String, String> statuses = new HashMap<>();
        jdbc.sql("select dedup_key, recipient_id, email_status from notification").query((rs, n) -> {
            if (people.contains(rs.getString(2))) {
                statuses.put(rs.getString(1), rs.getString(3));
            }
            return null;
        }).list();
        assertThat(statuses).isNotEmpty();
        assertThat(statuses.values()).containsOnly("SENT");
        Map<String, Long> received = new HashMap<>();
        for (MimeMessage message : SMTP.getReceivedMessages()) {
            String[] dedup = message.getHeader("X-Gigflow-Notification");
            if (dedup != null && statuses.containsKey(dedup[0])) {
                received.merge(dedup[0], 1L, Long::sum);
            }
        }
        assertThat(received.keySet()).isEqualTo(statuses.keySet());
        assertThat(received.entrySet().stream().filter(e -> e.getValue() != 1).collect(Collectors.toList())).as("emails sent twice").isEmpty();
    }

    private Set<String> people() {
        Set<String> people = new HashSet<>(companyMembers);
        people.addAll(contractors);
        people.addAll(customers);
        people.add(provider);
        people.add(finance);
        people.add(payroll);
        people.addAll(withdrawers);
        return people;
    }

    /**
     * The ledger's books balance with the outside world: per currency, what came in from EXTERNAL
     * minus what went out to it equals the sum of every other account (companies', persons',
     * escrows, withdrawal holds, the platform's fees).
     */
    private void assertExternalInMinusOutIsWhatTheBalancesKeep() {
        Map<String, BigDecimal> in = sums("""
                select a.currency, sum(t.amount) from ledger_transfer t join ledger_account a on a.id = t.from_account_id
                where a.owner_type = 'EXTERNAL' group by a.currency""");
        Map<String, BigDecimal> out = sums("""
                select a.currency, sum(t.amount) from ledger_transfer t join ledger_account a on a.id = t.to_account_id
                where a.owner_type = 'EXTERNAL' group by a.currency""");
        Map<String, BigDecimal> kept = sums("""
                select a.currency, sum(p.amount) from ledger_posting p join ledger_account a on a.id = p.account_id
                where a.owner_type <> 'EXTERNAL' group by a.currency""");
        assertThat(in).containsKey("EUR");
        assertThat(kept.keySet()).isEqualTo(in.keySet());
        in.forEach((currency, total) -> assertThat(total.subtract(out.getOrDefault(currency, BigDecimal.ZERO)))
                .as("%s in from outside minus out to outside = all balances, escrows and holds", currency)
                .isEqualByComparingTo(kept.get(currency)));
    }

    private Map<String, BigDecimal> sums(String sql) {
        return jdbc.sql(sql).query((rs, n) -> Map.entry(rs.getString(1).trim(), rs.getBigDecimal(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** What the transfer with this key moved in from outside (positive) or out to it (negative); zero for an inner transfer. */
    private BigDecimal externalTransfers(String key) {
        return jdbc.sql("""
                        select coalesce(sum(case when f.owner_type = 'EXTERNAL' then t.amount when o.owner_type = 'EXTERNAL' then -t.amount
                        else 0 end), 0) from ledger_transfer t join ledger_account f on f.id = t.from_account_id
                        join ledger_account o on o.id = t.to_account_id where t.idempotency_key = :k""")
                .param("k", key).query(BigDecimal.class).single();
    }

    private long notificationsTo(String reference, Set<String> recipients) {
        return jdbc.sql("select count(*) from notification where reference = :r and recipient_id in (:people)").param("r", reference)
                .param("people", recipients).query(Long.class).single();
    }

    private long pendingEmails() {
        return jdbc.sql("select count(*) from notification where email_status = 'PENDING' and recipient_id in (:people)")
                .param("people", people()).query(Long.class).single();
    }

    /** The ids of this test's emails that failed every attempt. */
    private List<Long> failedEmails() {
        return jdbc.sql("select id from notification where email_status = 'FAILED' and recipient_id in (:people) order by id")
                .param("people", people()).query(Long.class).list();
    }

    private long notifications(String reference) {
        return jdbc.sql("select count(*) from notification where reference = :r").param("r", reference).query(Long.class).single();
    }

    private long documents(String ref) {
        return jdbc.sql("select count(*) from document where reference = :r").param("r", "task-payout:" + ref).query(Long.class).single();
    }

    private long transfers(String key) {
        return jdbc.sql("select count(*) from ledger_transfer where idempotency_key = :k").param("k", key).query(Long.class).single();
    }

    private String taskInstance(String ref) {
        return jdbc.sql("select process_instance_id from payout_task where ref = :r").param("r", ref).query(String.class).single();
    }

    private String orderInstance(String ref) {
        return jdbc.sql("select process_instance_id from service_order where ref = :r").param("r", ref).query(String.class).single();
    }

    private String status(String ref) {
        return http.get(companyMembers.get(0), "/api/tasks/" + ref).json().get("status").asText();
    }

    private BigDecimal balance(String user, String path) {
        JsonNode balances = http.get(user, path).json();
        for (JsonNode b : balances) {
            if (b.get("currency").asText().equals("EUR")) {
                return new BigDecimal(b.get("amount").asText());
            }
        }
        return BigDecimal.ZERO;
    }

    // ---- helpers

    private static Http.Response ok(Http.Response response) {
        assertThat(response.status()).as(response.text()).isBetween(200, 299);
        return response;
    }

    /** /engine-rest as the operator (HTTP Basic with the test profile's admin password). */
    private Http.Response admin(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN).getBytes(StandardCharsets.UTF_8)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Http.Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitAll(String what, BooleanSupplier condition) throws InterruptedException {
        awaitAll(what, condition, () -> "");
    }

    private static void awaitAll(String what, BooleanSupplier condition, java.util.function.Supplier<String> whatIsLeft)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + PATIENCE + " waiting until " + what + whatIsLeft.get());
            }
            Thread.sleep(250);
        }
    }

    /** The instances still running (their key, business key and where they wait) and the emails still pending. */
    private String stillOpen(Set<String> instances) {
        StringBuilder left = new StringBuilder();
        for (var instance : runtimeService.createProcessInstanceQuery().processInstanceIds(instances).list()) {
            left.append("\n  ").append(instance.getProcessDefinitionId()).append(' ').append(instance.getBusinessKey()).append(" waits at ")
                    .append(runtimeService.getActiveActivityIds(instance.getId()));
        }
        return left.append("\n  pending emails: ").append(pendingEmails()).toString();
    }

    /**
     * Runs the action with another retry cycle for every asynchronous step. The engine reads the
     * default cycle when it parses a process definition, so the cached definitions are dropped
     * (and parsed again from the deployment) before and after; the shared context gets its own
     * cycle back.
     */
    private <T> T withRetries(String cycle, java.util.concurrent.Callable<T> action) throws Exception {
        ProcessEngineConfigurationImpl configuration = ((ProcessEngineImpl) processEngine).getProcessEngineConfiguration();
        String before = configuration.getFailedJobRetryTimeCycle();
        configuration.setFailedJobRetryTimeCycle(cycle);
        configuration.getDeploymentCache().discardProcessDefinitionCache();
        try {
            return action.call();
        } finally {
            configuration.setFailedJobRetryTimeCycle(before);
            configuration.getDeploymentCache().discardProcessDefinitionCache();
        }
    }
}
