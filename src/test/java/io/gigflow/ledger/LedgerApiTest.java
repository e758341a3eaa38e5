package io.gigflow.ledger;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class LedgerApiTest extends WebTestBase {

    @Autowired IdentityService identityService;

    @Test
    void aCompanyFundedThroughConfirmedTopUpsReadsItsBalancesAndEntries() {
        Http http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String path = "/api/companies/" + acme[0];
        Funding funding = new Funding(http, fixtures);

        funding.company(acme[1], acme[0], "250.00", "EUR");
        funding.company(acme[1], acme[0], "1000", "JPY");

        assertThat(http.get(acme[1], path + "/balances").text())
                .isEqualTo("[{\"currency\":\"EUR\",\"amount\":\"250.00\"},{\"currency\":\"JPY\",\"amount\":\"1000\"}]");
        assertThat(http.get(acme[1], path + "/ledger-entries?currency=EUR").json()).hasSize(1);
        assertThat(http.get(acme[1], path + "/ledger-entries?currency=EUR").json().get(0).get("balanceAfter").asText()).isEqualTo("250.00");
        assertThat(http.get(acme[1], path + "/ledger-entries?currency=EUR").json().get(0).get("counterparty").asText())
                .isEqualTo("EXTERNAL:world");
    }

    @Test
    void registeringATopUpCreditsNothingAndStrangersSeeNoBalances() {
        Http http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String stranger = fixtures.contractor("eve");
        String path = "/api/companies/" + acme[0];

        Http.Response registered = http.post(acme[1], path + "/top-ups", json(Map.of("amount", "1000000000", "currency", "EUR",
                "method", "BANK_TRANSFER")));

        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        assertThat(registered.json().get("status").asText()).isEqualTo("AWAITING_FUNDS");
        assertThat(http.get(acme[1], path + "/balances").json()).isEmpty();
        assertThat(http.post(stranger, "/api/me/top-ups", json(Map.of("amount", "1", "currency", "EUR", "method", "BANK_TRANSFER"))).status())
                .isEqualTo(403);
        assertThat(http.get(stranger, "/api/me/balances").json()).isEmpty();
        assertThat(http.get(stranger, path + "/balances").status()).isEqualTo(404);
    }
}
