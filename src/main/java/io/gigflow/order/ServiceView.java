package io.gigflow.order;

import java.util.List;
import org.springframework.lang.Nullable;

/**
 * A provider's service as the API shows it: amounts as decimal strings with the service's currency, as
 * every other amount of the API travels.
 */
record ServiceView(long id, String ref, String providerId, String title, @Nullable String description, String currency,
        String basePrice, int deliveryDays, List<OptionView> options) {

    record OptionView(long id, String name, String price, int extraDays) {
    }

    static ServiceView of(ServiceCatalog.Offering offering) {
        return new ServiceView(offering.id(), offering.ref(), offering.providerId(), offering.title(), offering.description(),
                offering.basePrice().currencyCode(), offering.basePrice().toDecimalString(), offering.deliveryDays(),
                offering.options().stream()
                        .map(option -> new OptionView(option.id(), option.name(), option.price().toDecimalString(), option.extraDays()))
                        .toList());
    }
}
