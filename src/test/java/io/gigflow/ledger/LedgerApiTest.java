package io.gigflow.ledger;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class LedgerApiTest extends WebTestBase {

    @Autowired IdentityService identityService;

    @Test
    void aCompanyTopsUpOnceUnderOneReferenceAndReadsItsEntries() {
        Http http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String path = "/api/companies/" + acme[0];

        Http.Response first = http.post(acme[1], path + "/top-ups", json(Map.of("amount", "250.00", "currency", "EUR", "reference", "bank-1")));
        Http.Response repeated = http.post(acme[1], path + "/top-ups", json(Map.of("amount", "250.00", "currency", "EUR", "reference", "bank-1")));
        Http.Response other = http.post(acme[1], path + "/top-ups", json(Map.of("amount", "1000", "currency", "JPY")));

        assertThat(first.status()).isEqualTo(201);
        assertThat(repeated.json().get("replayed").asBoolean()).isTrue();
        assertThat(other.status()).isEqualTo(201);
        assertThat(http.get(acme[1], path + "/balances").text())
                .isEqualTo("[{\"currency\":\"EUR\",\"amount\":\"250.00\"},{\"currency\":\"JPY\",\"amount\":\"1000\"}]");
        assertThat(http.get(acme[1], path + "/ledger-entries?currency=EUR").json()).hasSize(1);
        assertThat(http.get(acme[1], path + "/ledger-entries?currency=EUR").json().get(0).get("balanceAfter").asText()).isEqualTo("250.00");
    }

    @Test
    void refusesBadTopUpsAndStrangers() {
        Http http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String stranger = fixtures.contractor("eve");
        String path = "/api/companies/" + acme[0];

        Http.Response tooPrecise = http.post(acme[1], path + "/top-ups", json(Map.of("amount", "1.001", "currency", "EUR")));
        Http.Response yen = http.post(acme[1], path + "/top-ups", json(Map.of("amount", "1.5", "currency", "JPY")));
        Http.Response unknown = http.post(acme[1], path + "/top-ups", json(Map.of("amount", "1", "currency", "ABC")));
        Http.Response negative = http.post(acme[1], path + "/top-ups", json(Map.of("amount", "-1", "currency", "EUR")));
        Http.Response extra = http.post(acme[1], path + "/top-ups", "{\"amount\":\"1\",\"currency\":\"EUR\",\"note\":\"x\"}");

        assertThat(tooPrecise.status()).isEqualTo(400);
        assertThat(tooPrecise.json().get("errors").get(0).get("rule").asText()).isEqualTo("scale");
        assertThat(yen.json().get("errors").get(0).get("rule").asText()).isEqualTo("scale");
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("currency");
        assertThat(negative.json().get("errors").get(0).get("rule").asText()).isEqualTo("positive");
        assertThat(extra.json().get("errors").get(0).get("field").asText()).isEqualTo("note");
        assertThat(http.post(stranger, path + "/top-ups", json(Map.of("amount", "1", "currency", "EUR"))).status()).isEqualTo(404);
        assertThat(http.get(stranger, path + "/balances").status()).isEqualTo(404);
        assertThat(http.get(acme[1], path + "/balances").json()).isEmpty();
    }
}
