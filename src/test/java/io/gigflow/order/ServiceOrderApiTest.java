package io.gigflow.order;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.ledger.Ledger;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A customer buys a provider's service over real HTTP, with the job executor running and
 * GreenMail receiving the emails: options, two "Add to Service" requests, a revision, an
 * attachment, and money exact to the cent.
 */
class ServiceOrderApiTest extends WebTestBase {

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired org.camunda.bpm.engine.HistoryService historyService;
    @Autowired Ledger ledger;

    Http http;
    Fixtures fixtures;
    String provider;
    String customer;
    String stranger;
    String service;
    long sourceFiles;

    @BeforeEach
    void givenAProviderWithAServiceAndACustomer() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        provider = fixtures.provider("pia");
        customer = fixtures.customer("carl");
        stranger = fixtures.customer("eve");
        Http.Response published = http.post(provider, "/api/me/services", json(Map.of("title", "Logo design", "basePrice", "100.00",
                "currency", "EUR", "deliveryDays", 5, "options", List.of(
                        Map.of("name", "Source files", "price", "20.00", "extraDays", 1),
                        Map.of("name", "Express", "price", "30.00", "extraDays", 0)))));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        service = published.json().get("ref").asText();
        sourceFiles = published.json().get("options").get(0).get("id").asLong();
        // amounts travel as decimal strings with their currency, as everywhere in the API
        assertThat(published.json().get("basePrice").isTextual()).as(published.text()).isTrue();
        assertThat(published.json().get("basePrice").asText()).isEqualTo("100.00");
        assertThat(published.json().get("currency").asText()).isEqualTo("EUR");
        assertThat(published.json().get("options").get(1).get("price").asText()).isEqualTo("30.00");
        assertThat(http.get(customer, "/api/services/" + service).json().get("basePrice").asText()).isEqualTo("100.00");
        new Funding(http, fixtures).customer(customer, "300.00", "EUR");
    }

    @Test
    void aCustomerBuysAServiceWithExtrasARevisionAndPaysTheProviderToTheCent() {
        Http.Response placed = http.post(customer, "/api/services/" + service + "/orders", json(Map.of("optionIds", List.of(sourceFiles))));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        String order = placed.json().get("ref").asText();
        assertThat(placed.json().get("total").asText()).isEqualTo("120.00");
        assertThat(placed.json().get("options").get(0).get("name").asText()).isEqualTo("Source files");
        assertThat(balance(customer)).isEqualTo(Map.of("EUR", "180.00"));

        assertThat(http.post(customer, "/api/orders/" + order + "/start", null).status()).isEqualTo(403);
        JsonNode started = http.post(provider, "/api/orders/" + order + "/start", null).json();
        assertThat(started.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(started.get("dueAt").asText()).isNotEmpty();

        JsonNode paused = http.post(customer, "/api/orders/" + order + "/extra-requests",
                json(Map.of("description", "A favicon too", "extraDays", 2, "price", "25.00"))).json();
        assertThat(paused.get("status").asText()).isEqualTo("PAUSED");
        assertThat(http.post(provider, "/api/orders/" + order + "/deliver", json(Map.of("message", "early"))).status()).isEqualTo(409);
        long first = paused.get("requests").get(0).get("id").asLong();
        JsonNode accepted = http.post(provider, "/api/orders/" + order + "/extra-requests/" + first + "/accept", null).json();
        assertThat(accepted.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(accepted.get("total").asText()).isEqualTo("145.00");

        JsonNode again = http.post(customer, "/api/orders/" + order + "/extra-requests",
                json(Map.of("description", "And a banner", "extraDays", 1, "price", "40.00"))).json();
        long second = again.get("requests").get(1).get("id").asLong();
        http.post(provider, "/api/orders/" + order + "/extra-requests/" + second + "/decline", json(Map.of("reason", "Not this week")));

        String file = Base64.getEncoder().encodeToString("the logo, in words".getBytes(StandardCharsets.UTF_8));
        JsonNode delivered = http.post(provider, "/api/orders/" + order + "/deliver", json(Map.of("message", "First draft",
                "attachment", Map.of("fileName", "logo.txt", "contentType", "text/plain", "contentBase64", file)))).json();
        assertThat(delivered.get("status").asText()).isEqualTo("DELIVERED");
        long fileId = delivered.get("attachments").get(0).get("id").asLong();
        Http.Response download = http.get(customer, "/api/orders/" + order + "/attachments/" + fileId);
        assertThat(download.text()).isEqualTo("the logo, in words");
        assertThat(download.header("X-Content-SHA256")).isEqualTo(delivered.get("attachments").get(0).get("sha256").asText());
        assertThat(http.get(stranger, "/api/orders/" + order + "/attachments/" + fileId).status()).isEqualTo(404);
        assertThat(http.get(stranger, "/api/orders/" + order).status()).isEqualTo(404);

        assertThat(http.post(customer, "/api/orders/" + order + "/revision", json(Map.of("reason", "Bigger"))).json().get("status").asText())
                .isEqualTo("IN_PROGRESS");
        http.post(provider, "/api/orders/" + order + "/deliver", json(Map.of("message", "Second draft")));
        assertThat(http.post(customer, "/api/orders/" + order + "/confirm", null).status()).isEqualTo(202);
        await(order + " is done", () -> "DONE".equals(http.get(customer, "/api/orders/" + order).json().get("status").asText()));

        assertThat(balance(customer)).isEqualTo(Map.of("EUR", "155.00"));
        assertThat(balance(provider)).isEqualTo(Map.of("EUR", "145.00"));
        assertThat(ledger.invariantViolations()).isEmpty();
        JsonNode card = http.get(provider, "/api/orders/" + order).json();
        assertThat(card.get("requests").findValuesAsText("status")).containsExactly("ACCEPTED", "DECLINED");
        assertThat(card.get("late").asBoolean()).isFalse();
        assertThat(card.get("history").findValuesAsText("event")).containsSubsequence("PLACED", "STARTED", "EXTRA_REQUESTED",
                "EXTRA_ACCEPTED", "EXTRA_REQUESTED", "EXTRA_DECLINED", "DELIVERED", "REVISION_REQUESTED", "DELIVERED", "CONFIRMED", "DONE");

        // provider: placed, 2 requests, revision, done; customer: its top-up (how to pay, credited), started, 2 answers, 2 deliveries, done
        await("all emails arrived", () -> subjectsTo(provider).size() >= 5 && subjectsTo(customer).size() >= 8);
        assertThat(subjectsTo(provider)).hasSize(5).anyMatch(s -> s.startsWith("New order")).anyMatch(s -> s.startsWith("Revision requested"));
        assertThat(subjectsTo(customer)).hasSize(8).anyMatch(s -> s.equals("Top-up credited: 300.00 EUR")).anyMatch(s -> s.startsWith("Work started"))
                .anyMatch(s -> s.startsWith("Extra request declined")).anyMatch(s -> s.startsWith("Order complete"));
    }

    @Test
    void startsThroughEngineRestAsTheDomainApiDoesAndRefusesBadInput() {
        String start = "/engine-rest/process-definition/key/service-order/start";
        String variables = "{\"variables\":{\"customerId\":{\"value\":\"" + customer + "\",\"type\":\"String\"},"
                + "\"serviceRef\":{\"value\":\"" + service + "\",\"type\":\"String\"},"
                + "\"optionIds\":{\"value\":\"" + sourceFiles + "\",\"type\":\"String\"}}}";
        long before = runtimeService.createProcessInstanceQuery().processDefinitionKey("service-order").count();

        assertThat(http.post(stranger, start, variables).status()).isEqualTo(403);
        Http.Response invalid = http.post(customer, start, variables.replace("\"value\":\"" + sourceFiles + "\"", "\"value\":\"12x\""));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("message").asText()).contains("optionIds");
        Http.Response started = http.post(customer, start, variables);
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        String order = started.json().get("businessKey").asText();
        assertThat(http.get(customer, "/api/orders/" + order).json().get("total").asText()).isEqualTo("120.00");
        // the row holds the start's values: the instance keeps none of them, nor does its history (they came in transient)
        assertThat(runtimeService.getVariables(started.json().get("id").asText())).containsOnlyKeys("status");
        assertThat(historyService.createHistoricVariableInstanceQuery().processInstanceId(started.json().get("id").asText())
                .variableNameIn("customerId", "serviceRef", "optionIds").count()).isZero();
        assertThat(historyService.createHistoricDetailQuery().processInstanceId(started.json().get("id").asText()).list())
                .noneMatch(detail -> detail instanceof org.camunda.bpm.engine.history.HistoricVariableUpdate update
                        && List.of("customerId", "serviceRef", "optionIds").contains(update.getVariableName()));
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey("service-order").count()).isEqualTo(before + 1);

        http.post(provider, "/api/orders/" + order + "/start", null);
        Http.Response notLate = http.post(customer, "/engine-rest/message", "{\"messageName\":\"LateCancellationRequested\",\"businessKey\":\"" + order + "\"}");
        assertThat(notLate.status()).as(notLate.text()).isEqualTo(409);
        assertThat(http.post(customer, "/api/orders/" + order + "/cancel", null).status()).isEqualTo(409);

        Http.Response numeric = http.post(customer, "/api/orders/" + order + "/extra-requests", "{\"description\":\"x\",\"extraDays\":1,\"price\":5}");
        assertThat(numeric.status()).isEqualTo(400);
        assertThat(numeric.json().get("errors").get(0).get("field").asText()).isEqualTo("price");
        Http.Response missing = http.post(customer, "/api/orders/" + order + "/extra-requests", json(Map.of("extraDays", 400, "price", "5.001")));
        assertThat(missing.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("description", "extraDays", "price");
        assertThat(http.get(customer, "/api/orders/" + order).json().get("status").asText()).isEqualTo("IN_PROGRESS");
        Http.Response badFile = http.post(provider, "/api/orders/" + order + "/deliver", json(Map.of("message", "x",
                "attachment", Map.of("fileName", "../etc/passwd", "contentType", "application/x-sh", "contentBase64", "!!"))));
        assertThat(badFile.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("attachment.fileName", "attachment.contentType", "attachment.contentBase64");
        assertThat(http.get(customer, "/api/orders/" + order).json().get("status").asText()).isEqualTo("IN_PROGRESS");
    }

    @Test
    void aProviderWhoNamesHerselfCustomerThroughEngineRestStillCannotConfirmHerOwnDelivery() {
        String order = http.post(customer, "/api/services/" + service + "/orders", json(Map.of())).json().get("ref").asText();
        String instance = runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(order).singleResult().getId();
        String planted = "\"customerId\":{\"value\":\"" + provider + "\",\"type\":\"String\"},"
                + "\"confirmationTimeout\":{\"value\":\"PT1S\",\"type\":\"String\"}";
        completeWithPlanted(provider, taskOf(provider, instance), "\"startWork\":{\"value\":true,\"type\":\"Boolean\"}", planted);
        completeWithPlanted(provider, taskOf(provider, instance), "\"deliveryMessage\":{\"value\":\"Done\",\"type\":\"String\"}", planted);

        assertThat(http.get(provider, "/engine-rest/task?maxResults=10&processInstanceId=" + instance).json()).isEmpty();
        JsonNode confirm = http.get(customer, "/engine-rest/task?maxResults=10&processInstanceId=" + instance).json().get(0);
        assertThat(confirm.get("assignee").asText()).isEqualTo(customer);
        Http.Response stolen = http.post(provider, "/engine-rest/task/" + confirm.get("id").asText() + "/complete",
                "{\"variables\":{\"deliveryDecision\":{\"value\":\"CONFIRM\",\"type\":\"String\"}}}");
        assertThat(stolen.status()).as(stolen.text()).isIn(403, 404);
        // a confirmation period of a second, had it been read, would have completed the order by now
        await("the job executor had its chance", () -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        });

        JsonNode card = http.get(customer, "/api/orders/" + order).json();
        assertThat(card.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(balance(customer)).isEqualTo(Map.of("EUR", "200.00"));
        assertThat(balance(provider).getOrDefault("EUR", "0.00")).isEqualTo("0.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    private String taskOf(String user, String instance) {
        return http.get(user, "/engine-rest/task?maxResults=10&processInstanceId=" + instance).json().get(0).get("id").asText();
    }

    /** Completes with planted variables, which the engine's input guard refuses (400), then with the step's own. */
    private void completeWithPlanted(String user, String taskId, String own, String planted) {
        Http.Response withPlanted = http.post(user, "/engine-rest/task/" + taskId + "/complete", "{\"variables\":{" + own + "," + planted + "}}");
        assertThat(withPlanted.status()).as(withPlanted.text()).isEqualTo(400);
        assertThat(withPlanted.json().get("message").asText()).contains("is not an input of step");
        Http.Response plain = http.post(user, "/engine-rest/task/" + taskId + "/complete", "{\"variables\":{" + own + "}}");
        assertThat(plain.status()).as(plain.text()).isEqualTo(204);
    }

    private Map<String, String> balance(String user) {
        Map<String, String> result = new TreeMap<>();
        http.get(user, "/api/me/balances").json().forEach(b -> result.put(b.get("currency").asText(), b.get("amount").asText()));
        return result;
    }
}
