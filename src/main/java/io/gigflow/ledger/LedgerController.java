package io.gigflow.ledger;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.Currencies;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Balances and ledger entries of the signed-in owner. Money enters only through the top-up
 * lifecycle (io.gigflow.topup): nobody credits a balance here.
 */
@Tag(name = "Ledger")
@RestController
class LedgerController {

    private final Ledger ledger;
    private final Parties parties;
    private final CurrentUser currentUser;

    LedgerController(Ledger ledger, Parties parties, CurrentUser currentUser) {
        this.ledger = ledger;
        this.parties = parties;
        this.currentUser = currentUser;
    }

    record BalanceView(String currency, String amount) {
        static BalanceView of(Money money) {
            return new BalanceView(money.currencyCode(), money.toDecimalString());
        }
    }

    record EntryView(long id, long transferId, OffsetDateTime at, String description, String amount, String currency,
            String balanceAfter, String counterparty) {
        static EntryView of(LedgerEntry e) {
            return new EntryView(e.postingId(), e.transferId(), e.at(), e.description(), e.amount().toDecimalString(),
                    e.amount().currencyCode(), e.balanceAfter().toDecimalString(), e.counterparty().toString());
        }
    }

    @Operation(summary = "A company's balances, one per currency (members)")
    @GetMapping("/api/companies/{companyId}/balances")
    List<BalanceView> companyBalances(@PathVariable String companyId) {
        parties.requireMembership(currentUser.require(), companyId);
        return ledger.balances(AccountRef.company(companyId)).stream().map(BalanceView::of).toList();
    }

    @Operation(summary = "A company's ledger entries, newest first (members)")
    @GetMapping("/api/companies/{companyId}/ledger-entries")
    List<EntryView> companyEntries(@PathVariable String companyId, @RequestParam(required = false) String currency,
            @RequestParam(defaultValue = "100") int limit) {
        parties.requireMembership(currentUser.require(), companyId);
        return entries(AccountRef.company(companyId), currency, limit);
    }

    @Operation(summary = "The signed-in person's balances, one per currency")
    @GetMapping("/api/me/balances")
    List<BalanceView> myBalances() {
        return ledger.balances(AccountRef.user(currentUser.require())).stream().map(BalanceView::of).toList();
    }

    @Operation(summary = "The signed-in person's ledger entries, newest first")
    @GetMapping("/api/me/ledger-entries")
    List<EntryView> myEntries(@RequestParam(required = false) String currency, @RequestParam(defaultValue = "100") int limit) {
        return entries(AccountRef.user(currentUser.require()), currency, limit);
    }

    private List<EntryView> entries(AccountRef owner, String currencyCode, int limit) {
        FieldErrors errors = new FieldErrors();
        Currency currency = null;
        if (currencyCode != null) {
            try {
                currency = Currencies.parse(currencyCode);
            } catch (IllegalArgumentException e) {
                errors.add("currency", "currency", e.getMessage());
            }
        }
        if (limit < 1 || limit > 1000) {
            errors.add("limit", "range", "must be between 1 and 1000");
        }
        errors.throwIfAny("Invalid query");
        return ledger.entries(owner, currency, limit).stream().map(EntryView::of).toList();
    }
}
