package io.gigflow.withdrawal;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Browser;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A finance operator pays a withdrawal out in Camunda Tasklist, in a real browser (headless
 * Chromium): the step is offered to finance, its form shows the amount and the full destination,
 * the operator confirms with the bank's reference, and the hold leaves the platform. The
 * requester never sees the step.
 */
class WithdrawalBrowserTest extends WebTestBase {

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;
    @Autowired Ledger ledger;

    @Test
    void aFinanceOperatorPaysAWithdrawalOutInTasklist() {
        Http http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        String carla = fixtures.contractor("carla");
        String fiona = fixtures.finance("fiona");
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.user(carla), Money.of("300.00", "EUR"), "Fixture");
        long destination = http.post(carla, "/api/me/payout-destinations", json(Map.of("kind", "IBAN",
                "iban", "DE89370400440532013000", "holderName", "Carla Tester"))).json().get("id").asLong();
        Http.Response requested = http.post(carla, "/api/me/withdrawals", json(Map.of("amount", "125.40", "currency", "EUR",
                "destinationId", destination)));
        assertThat(requested.status()).as(requested.text()).isEqualTo(201);
        String ref = requested.json().get("ref").asText();
        await("the finance step of " + ref, () -> taskService.createTaskQuery().processInstanceBusinessKey(ref)
                .taskDefinitionKey(WithdrawalProcess.TASK_PAY_OUT_WITHDRAWAL).count() == 1);
        String step = taskService.createTaskQuery().processInstanceBusinessKey(ref).singleResult().getId();
        assertThat(fixtures.as(carla, () -> taskService.createTaskQuery().taskId(step).count())).isZero();

        BROWSER.signInToCamunda("http://127.0.0.1:" + port + "/camunda/app/tasklist/", fiona, Fixtures.PASSWORD);
        BROWSER.click("the filter All my tasks", Browser.tasklistFilter("All my tasks"));
        By link = Browser.taskLink(step);
        BROWSER.click("the task " + step, link);
        BROWSER.visible("the Camunda Form", By.cssSelector(".fjs-form"));
        BROWSER.claimIfOffered();
        BROWSER.awaitFormShows("Amount", "125.40 EUR");
        BROWSER.awaitFormShows("Reference", ref);
        BROWSER.awaitFormShows("Pay to", "IBAN DE89 3704 0044 0532 0130 00 (Carla Tester)");
        BROWSER.chooseRadio("Your answer", "Paid out");
        WebElement reference = BROWSER.formField("The bank's reference of the payment").findElement(By.cssSelector("input"));
        reference.sendKeys("SEPA-BROWSER-1");
        BROWSER.click("the Complete button", By.xpath("//button[normalize-space()='Complete']"));
        BROWSER.await("the task leaves the list", d -> d.findElements(link).isEmpty());

        await(ref + " is paid out", () -> "PAID_OUT".equals(http.get(carla, "/api/me/withdrawals/" + ref).json().get("status").asText()));
        Currency eur = Currency.getInstance("EUR");
        assertThat(http.get(carla, "/api/me/withdrawals/" + ref).json().get("bankReference").asText()).isEqualTo("SEPA-BROWSER-1");
        assertThat(ledger.balance(AccountRef.user(carla), eur).toDecimalString()).isEqualTo("174.60");
        assertThat(ledger.balance(AccountRef.withdrawal(ref), eur).toDecimalString()).isEqualTo("0.00");
        assertThat(List.of(http.get(carla, "/api/me/withdrawals/" + ref).json().get("decidedBy").asText())).containsExactly(fiona);
    }

}
