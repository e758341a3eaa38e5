package io.gigflow.support;

import static io.gigflow.support.Http.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Money for tests, the way it enters the platform for real: the payer registers a top-up over
 * the domain API, a finance operator confirms the full amount arrived (the same step as in
 * Tasklist), and the job executor credits it; the call returns once the balance holds it.
 * Needs a running application with its job executor (a {@link WebTestBase} test).
 */
public final class Funding {

    private final Http http;
    private final String finance;

    /** Tops up through {@code http}, with a finance operator of its own from {@code fixtures}. */
    public Funding(Http http, Fixtures fixtures) {
        this(http, fixtures.finance("fiona"));
    }

    public Funding(Http http, String financeOperator) {
        this.http = http;
        this.finance = financeOperator;
    }

    /** The finance operator confirming the top-ups. */
    public String finance() {
        return finance;
    }

    /** A member tops up the company's balance; returns the credited top-up. */
    public JsonNode company(String member, String companyId, String amount, String currency) {
        return topUp(member, "/api/companies/" + companyId + "/top-ups", amount, currency);
    }

    /** A customer tops up its own balance; returns the credited top-up. */
    public JsonNode customer(String customer, String amount, String currency) {
        return topUp(customer, "/api/me/top-ups", amount, currency);
    }

    private JsonNode topUp(String payer, String path, String amount, String currency) {
        Http.Response registered = http.post(payer, path, json(Map.of("amount", amount, "currency", currency, "method", "BANK_TRANSFER")));
        if (registered.status() != 201) {
            throw new AssertionError("top-up of " + amount + " " + currency + " by " + payer + " not registered: " + registered.status()
                    + " " + registered.text());
        }
        long id = registered.json().get("id").asLong();
        Http.Response confirmed = http.post(finance, "/api/top-ups/" + id + "/confirmation",
                json(Map.of("amountReceived", amount, "bankReference", "TEST-" + id)));
        if (confirmed.status() != 202) {
            throw new AssertionError("top-up " + id + " not confirmed: " + confirmed.status() + " " + confirmed.text());
        }
        Http.await("top-up " + id + " is credited", () -> "CREDITED".equals(http.get(finance, "/api/top-ups/" + id).json().get("status").asText()));
        return http.get(finance, "/api/top-ups/" + id).json();
    }
}
