package io.gigflow.order;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service-order lifecycle's timers, as ISO-8601 durations: how long the provider has to
 * start work, to answer an "Add to Service" request, and the customer to confirm a delivery.
 * The customer may give the provider more time to start (start variable startDeadline) but
 * never less than {@code minStartDeadline}: a customer who could shorten it would cancel an
 * order before its provider had a chance to start.
 */
@ConfigurationProperties("gigflow.service-order")
record OrderSettings(String startDeadline, String minStartDeadline, String requestAnswerTimeout, String confirmationTimeout) {

    /** The longest start deadline a customer may give. */
    static final String MAX_START_DEADLINE = "P30D";

    OrderSettings {
        startDeadline = startDeadline == null ? "PT24H" : startDeadline;
        minStartDeadline = minStartDeadline == null ? startDeadline : minStartDeadline;
        requestAnswerTimeout = requestAnswerTimeout == null ? "PT48H" : requestAnswerTimeout;
        confirmationTimeout = confirmationTimeout == null ? "P3D" : confirmationTimeout;
    }
}
