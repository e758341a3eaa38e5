package io.gigflow.topup;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Browser;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A finance operator confirms a top-up's funds in Camunda Tasklist, in a real browser (headless
 * Chromium, see {@link Browser}): the payer never sees the step, the operator enters the amount
 * that arrived and the bank's reference, and exactly that amount is credited.
 */
class TopUpBrowserTest extends WebTestBase {

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;

    Http http;
    Fixtures fixtures;

    @BeforeEach
    void givenTheApplication() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
    }

    @Test
    void aFinanceOperatorConfirmsTheFundsInTasklistAndThePayerIsCreditedWhatArrived() {
        String carl = fixtures.customer("carl");
        String fiona = fixtures.finance("fiona");
        Http.Response registered = http.post(carl, "/api/me/top-ups", json(Map.of("amount", "80.00", "currency", "EUR",
                "method", "BANK_TRANSFER")));
        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        JsonNode topUp = registered.json();
        String reference = topUp.get("reference").asText();
        String step = stepOf(reference);
        assertThat(fixtures.as(carl, () -> taskService.createTaskQuery().taskId(step).count())).as("the payer does not see it").isZero();

        BROWSER.signInToCamunda("http://127.0.0.1:" + port + "/camunda/app/tasklist/", fiona, Fixtures.PASSWORD);
        BROWSER.click("the filter All my tasks", Browser.tasklistFilter("All my tasks"));
        BROWSER.click("the task Confirm the funds", Browser.taskLink(step));
        BROWSER.visible("the Camunda Form", By.cssSelector(".fjs-form"));
        BROWSER.claimIfOffered();
        BROWSER.awaitFormShows("Payment reference", reference);
        BROWSER.awaitFormShows("Registered amount", "80.00 EUR");
        BROWSER.awaitFormShows("Method", "bank transfer");
        BROWSER.chooseRadio("Your answer", "Confirm: the funds arrived");
        type("Amount received", "79.90");
        type("Bank transaction reference", "SEPA-77");
        BROWSER.click("the Complete button", By.xpath("//button[normalize-space()='Complete']"));
        BROWSER.await("the task leaves the list", d -> d.findElements(Browser.taskLink(step)).isEmpty());

        long id = topUp.get("id").asLong();
        await("the top-up is credited", () -> "CREDITED".equals(http.get(carl, "/api/top-ups/" + id).json().get("status").asText()));
        JsonNode credited = http.get(carl, "/api/top-ups/" + id).json();
        assertThat(credited.get("receivedAmount").asText()).isEqualTo("79.90");
        assertThat(credited.get("bankReference").asText()).isEqualTo("SEPA-77");
        assertThat(credited.get("decidedBy").asText()).isEqualTo(fiona);
        assertThat(http.get(carl, "/api/me/balances").text()).isEqualTo("[{\"currency\":\"EUR\",\"amount\":\"79.90\"}]");
    }

    private String stepOf(String reference) {
        await("the step Task_ConfirmFunds of " + reference, () -> taskService.createTaskQuery().processInstanceBusinessKey(reference)
                .taskDefinitionKey(TopUpProcess.TASK_CONFIRM_FUNDS).count() == 1);
        Task task = taskService.createTaskQuery().processInstanceBusinessKey(reference).taskDefinitionKey(TopUpProcess.TASK_CONFIRM_FUNDS)
                .singleResult();
        return task.getId();
    }

    private void type(String label, String text) {
        WebElement input = BROWSER.formField(label).findElement(By.cssSelector("input, textarea"));
        input.clear();
        input.sendKeys(text);
        BROWSER.await("the field " + label + " holds " + text, d -> text.equals(input.getDomProperty("value")));
    }
}
