package io.gigflow.order;

import static io.gigflow.support.Http.json;
import static io.gigflow.support.OpenSteps.formValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.shared.StepDisplay;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.OpenSteps;
import io.gigflow.support.WebTestBase;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The forms of service-order's human steps show the order's row, read when the form is opened:
 * the provider's Start work shows the customer, the title, the options, the total and the start
 * deadline; the engine keeps no copy of them (no process variable, no variable of the task), so
 * variables of the same names change nothing, and nobody who may not read the step gets them.
 */
class OrderFormFactsTest extends WebTestBase {

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired JdbcTemplate jdbc;

    Http http;
    OpenSteps steps;
    Fixtures fixtures;
    String provider;
    String customer;
    String order;

    @BeforeEach
    void givenAnOrderOfAServiceWithAnOption() {
        http = new Http(port);
        steps = new OpenSteps(runtimeService, taskService, ServiceOrderProcess.KEY);
        fixtures = new Fixtures(identityService);
        provider = fixtures.provider("pia");
        customer = fixtures.customer("carl");
        new Funding(http, fixtures).customer(customer, "2000.00", "EUR");
        Http.Response published = http.post(provider, "/api/me/services", json(Map.of("title", "Logo design", "basePrice", "1100.00",
                "currency", "EUR", "deliveryDays", 5, "options", List.of(Map.of("name", "Source files", "price", "150.00", "extraDays", 1)))));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        long option = published.json().get("options").get(0).get("id").asLong();
        Http.Response placed = http.post(customer, "/api/services/" + published.json().get("ref").asText() + "/orders",
                json(Map.of("optionIds", List.of(option))));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        order = placed.json().get("ref").asText();
    }

    @Test
    void startWorkShowsTheRowAndTheEngineKeepsNoCopyOfIt() {
        String step = steps.step(order, ServiceOrderProcess.TASK_START_WORK);

        JsonNode form = http.get(provider, "/engine-rest/task/" + step + "/form-variables").json();

        assertThat(formValue(form, "ref")).isEqualTo(order);
        assertThat(formValue(form, "title")).isEqualTo("Logo design");
        assertThat(formValue(form, "optionsText")).isEqualTo("Source files (150.00 EUR, +1 days)");
        assertThat(formValue(form, "amountText")).isEqualTo("1,250.00 EUR");
        assertThat(formValue(form, "askedBy")).isEqualTo(name(customer));
        OffsetDateTime deadline = jdbc.queryForObject("select start_deadline_at from service_order where ref = ?", OffsetDateTime.class, order);
        assertThat(formValue(form, "stepDate")).isEqualTo(StepDisplay.instant(deadline));
        assertThat(runtimeService.getVariables(steps.instance(order))).containsOnlyKeys("status");
        assertThat(taskService.getVariablesLocal(step)).isEmpty();
    }

    @Test
    void deliverShowsTheTotalWithAnAcceptedExtraRequestAsTheOrdersViewDoesAndTheMovedDueDate() {
        assertThat(http.post(provider, "/api/orders/" + order + "/start", null).status()).isEqualTo(200);
        long first = http.post(customer, "/api/orders/" + order + "/extra-requests",
                json(Map.of("description", "A favicon too", "extraDays", 2, "price", "25.00"))).json().get("requests").get(0).get("id").asLong();
        assertThat(http.post(provider, "/api/orders/" + order + "/extra-requests/" + first + "/accept", null).status()).isEqualTo(200);
        long second = http.post(customer, "/api/orders/" + order + "/extra-requests",
                json(Map.of("description", "And a banner", "extraDays", 1, "price", "40.00"))).json().get("requests").get(1).get("id").asLong();
        assertThat(http.post(provider, "/api/orders/" + order + "/extra-requests/" + second + "/decline", json(Map.of("reason", "No")))
                .status()).isEqualTo(200);

        JsonNode form = http.get(provider, "/engine-rest/task/" + steps.step(order, ServiceOrderProcess.TASK_DELIVER_ORDER) + "/form-variables").json();

        assertThat(http.get(customer, "/api/orders/" + order).json().get("total").asText()).isEqualTo("1275.00");
        assertThat(formValue(form, "amountText")).isEqualTo("1,275.00 EUR");
        OffsetDateTime due = jdbc.queryForObject("select due_at from service_order where ref = ?", OffsetDateTime.class, order);
        assertThat(formValue(form, "stepDate")).isEqualTo(StepDisplay.instant(due));
    }

    @Test
    void variablesOfTheSameNamesChangeNothingTheProviderIsShown() {
        String step = steps.step(order, ServiceOrderProcess.TASK_START_WORK);
        runtimeService.setVariables(steps.instance(order), Map.of("title", "Free money", "amountText", "1,000,000.00 EUR", "askedBy", "Bank"));
        taskService.setVariablesLocal(step, Map.of("ref", "ORD-1", "stepDate", "2099-01-01T00:00:00Z", "optionsText", "everything"));

        JsonNode form = http.get(provider, "/engine-rest/task/" + step + "/form-variables").json();

        assertThat(formValue(form, "title")).isEqualTo("Logo design");
        assertThat(formValue(form, "amountText")).isEqualTo("1,250.00 EUR");
        assertThat(formValue(form, "askedBy")).isEqualTo(name(customer));
        assertThat(formValue(form, "ref")).isEqualTo(order);
        assertThat(formValue(form, "optionsText")).isEqualTo("Source files (150.00 EUR, +1 days)");
        OffsetDateTime deadline = jdbc.queryForObject("select start_deadline_at from service_order where ref = ?", OffsetDateTime.class, order);
        assertThat(formValue(form, "stepDate")).isEqualTo(StepDisplay.instant(deadline));
    }

    @Test
    void nobodyWhoMayNotReadTheStepGetsItsFacts() {
        String step = steps.step(order, ServiceOrderProcess.TASK_START_WORK);
        String otherProvider = fixtures.provider("paul");
        String otherCustomer = fixtures.customer("cora");

        for (String who : List.of(otherCustomer, otherProvider)) {
            Http.Response answer = http.get(who, "/engine-rest/task/" + step + "/form-variables");
            assertThat(answer.status()).as(who).isBetween(400, 499);
            assertThat(answer.text()).as(who).doesNotContain("Logo design").doesNotContain("1,250.00");
        }
    }

    private static String name(String userId) {
        return userId.substring(0, 1).toUpperCase() + userId.substring(1) + " Tester";
    }
}
