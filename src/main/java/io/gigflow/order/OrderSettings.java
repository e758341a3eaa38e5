package io.gigflow.order;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service-order lifecycle's timers, as ISO-8601 durations: how long the provider has to
 * start work, to answer an "Add to Service" request, and the customer to confirm a delivery.
 */
@ConfigurationProperties("gigflow.service-order")
record OrderSettings(String startDeadline, String requestAnswerTimeout, String confirmationTimeout) {

    OrderSettings {
        startDeadline = startDeadline == null ? "PT24H" : startDeadline;
        requestAnswerTimeout = requestAnswerTimeout == null ? "PT48H" : requestAnswerTimeout;
        confirmationTimeout = confirmationTimeout == null ? "P3D" : confirmationTimeout;
    }
}
