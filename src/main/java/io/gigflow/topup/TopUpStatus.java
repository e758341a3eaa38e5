package io.gigflow.topup;

/**
 * Where a top-up stands. CONFIRMED is the short moment between the funds being confirmed (by
 * finance or the payment provider) and the credit step moving them onto the balance.
 */
public enum TopUpStatus {
    AWAITING_FUNDS, CONFIRMED, CREDITED, REJECTED, EXPIRED
}
