package io.gigflow.ledger;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.Currencies;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Balances and ledger entries of the signed-in owner, and a company's top-ups. */
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

    record TopUpRequest(String amount, String currency, String reference) {
    }

    record BalanceView(String currency, String amount) {
        static BalanceView of(Money money) {
            return new BalanceView(money.currencyCode(), money.toDecimalString());
        }
    }

    record TopUpView(long transferId, String reference, String amount, String currency, boolean replayed, BalanceView balance) {
    }

    record EntryView(long id, long transferId, OffsetDateTime at, String description, String amount, String currency,
            String balanceAfter, String counterparty) {
        static EntryView of(LedgerEntry e) {
            return new EntryView(e.postingId(), e.transferId(), e.at(), e.description(), e.amount().toDecimalString(),
                    e.amount().currencyCode(), e.balanceAfter().toDecimalString(), e.counterparty().toString());
        }
    }

    /**
     * Money entering the platform for a company (its bank transfer arriving). With a
     * {@code reference} the same top-up sent twice is booked once.
     */
    @PostMapping("/api/companies/{companyId}/top-ups")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    TopUpView topUp(@PathVariable String companyId, @RequestBody TopUpRequest request) {
        parties.requireMembership(currentUser.require(), companyId);
        return topUp(AccountRef.company(companyId), "top-up:company:" + companyId + ":", request);
    }

    /** Money entering the platform for the signed-in person (a customer paying in). */
    @PostMapping("/api/me/top-ups")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    TopUpView myTopUp(@RequestBody TopUpRequest request) {
        String user = currentUser.require();
        return topUp(AccountRef.user(user), "top-up:user:" + user + ":", request);
    }

    private TopUpView topUp(AccountRef owner, String keyPrefix, TopUpRequest request) {
        FieldErrors errors = new FieldErrors();
        Money amount = MoneyInput.positive(request.amount(), request.currency(), "amount", "currency", errors);
        String reference = errors.optionalText("reference", request.reference(), 100);
        if (reference != null && !reference.matches("[A-Za-z0-9._/-]+")) {
            errors.add("reference", "format", "may contain only letters, digits and . _ / -");
        }
        errors.throwIfAny("Invalid top-up");
        String key = keyPrefix + (reference == null ? UUID.randomUUID() : reference);
        Transfer transfer = ledger.transfer(key, AccountRef.external(), owner, amount,
                "Top-up" + (reference == null ? "" : " " + reference));
        if (transfer.replayed() && !transfer.amount().equals(amount)) {
            throw InvalidInputException.of("Invalid top-up", "reference", "unique", "was already used for a top-up of " + transfer.amount());
        }
        return new TopUpView(transfer.id(), reference, amount.toDecimalString(), amount.currencyCode(), transfer.replayed(),
                BalanceView.of(ledger.balance(owner, amount.currency())));
    }

    @GetMapping("/api/companies/{companyId}/balances")
    List<BalanceView> companyBalances(@PathVariable String companyId) {
        parties.requireMembership(currentUser.require(), companyId);
        return ledger.balances(AccountRef.company(companyId)).stream().map(BalanceView::of).toList();
    }

    @GetMapping("/api/companies/{companyId}/ledger-entries")
    List<EntryView> companyEntries(@PathVariable String companyId, @RequestParam(required = false) String currency,
            @RequestParam(defaultValue = "100") int limit) {
        parties.requireMembership(currentUser.require(), companyId);
        return entries(AccountRef.company(companyId), currency, limit);
    }

    @GetMapping("/api/me/balances")
    List<BalanceView> myBalances() {
        return ledger.balances(AccountRef.user(currentUser.require())).stream().map(BalanceView::of).toList();
    }

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
