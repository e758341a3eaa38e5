package io.gigflow.ledger;

import io.gigflow.shared.Money;

/** A business rejection: the paying account holds less than the transfer needs. Nothing was posted. */
public class InsufficientBalanceException extends RuntimeException {

    private final transient Money available;
    private final transient Money required;

    public InsufficientBalanceException(AccountRef account, Money available, Money required) {
        super("Insufficient balance: " + account + " holds " + available + ", " + required + " needed");
        this.available = available;
        this.required = required;
    }

    public Money available() {
        return available;
    }

    public Money required() {
        return required;
    }
}
