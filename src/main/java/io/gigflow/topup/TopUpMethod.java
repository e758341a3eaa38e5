package io.gigflow.topup;

/** How the payer pays: a bank transfer quoting the payment reference, or through the payment provider. */
public enum TopUpMethod {
    BANK_TRANSFER, PAYMENT_PROVIDER
}
