package io.gigflow.order;

import io.gigflow.shared.Sequences;
import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.TimeSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The providers' services: a base price and delivery time, and the add-on options a customer may choose. */
@Service
public class ServiceCatalog {

    static final int MAX_OPTIONS = 20;
    static final int MAX_DAYS = 365;

    public record Option(long id, String name, Money price, int extraDays) {
    }

    public record Offering(long id, String ref, String providerId, String title, String description, Money basePrice,
            int deliveryDays, List<Option> options) {
    }

    public record NewOption(String name, String price, @Nullable Integer extraDays) {
    }

    public record NewOffering(String title, @Nullable String description, String basePrice, String currency, Integer deliveryDays,
            @Nullable List<NewOption> options) {
    }

    private final JdbcClient jdbc;
    private final Sequences sequences;
    private final Parties parties;
    private final CurrentUser currentUser;
    private final TimeSource time;

    ServiceCatalog(JdbcClient jdbc, Parties parties, CurrentUser currentUser, TimeSource time, Sequences sequences) {
        this.sequences = sequences;
        this.jdbc = jdbc;
        this.parties = parties;
        this.currentUser = currentUser;
        this.time = time;
    }

    /** A provider publishes a service. */
    @Transactional
    public Offering publish(NewOffering request) {
        String provider = currentUser.require();
        if (!parties.isProvider(provider)) {
            throw new ForbiddenException("Only service providers (group " + Parties.PROVIDERS_GROUP + ") publish services");
        }
        FieldErrors errors = new FieldErrors();
        String title = errors.requiredText("title", request.title(), 200);
        String description = errors.optionalHtml("description", request.description(), 5000);
        Money basePrice = MoneyInput.positive(request.basePrice(), request.currency(), "basePrice", "currency", errors);
        int deliveryDays = days(errors, "deliveryDays", request.deliveryDays(), 1);
        List<NewOption> options = request.options() == null ? List.of() : request.options();
        if (options.size() > MAX_OPTIONS) {
            errors.add("options", "size", "must have at most " + MAX_OPTIONS + " options");
        }
        List<Object[]> parsed = new ArrayList<>();
        for (int i = 0; i < options.size() && i < MAX_OPTIONS; i++) {
            NewOption option = options.get(i);
            String field = "options[" + i + "]";
            if (option == null) {
                errors.add(field, "required", "must be an option");
                continue;
            }
            String name = errors.requiredText(field + ".name", option.name(), 200);
            Money price = optionPrice(errors, field + ".price", option.price(), basePrice);
            int extraDays = days(errors, field + ".extraDays", option.extraDays(), 0);
            parsed.add(new Object[] {name, price, extraDays});
        }
        errors.throwIfAny("Invalid service");
        String ref = "S-" + sequences.next("service_offering_ref_seq");
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into service_offering (ref, provider_id, title, description, base_price, currency, delivery_days, created_at)
                values (:ref, :provider, :title, :description, :price, :currency, :days, :now)""")
                .param("ref", ref).param("provider", provider).param("title", title)
                .param("description", description)
                .param("price", basePrice.amount()).param("currency", basePrice.currencyCode()).param("days", deliveryDays)
                .param("now", time.now()).update(keys, "id");
        long id = keys.getKeyAs(Number.class).longValue();
        for (Object[] option : parsed) {
            jdbc.sql("insert into service_offering_option (offering_id, name, price, extra_days) values (:offering, :name, :price, :days)")
                    .param("offering", id).param("name", option[0]).param("price", ((Money) option[1]).amount()).param("days", option[2])
                    .update();
        }
        return find(ref).orElseThrow();
    }

    public Optional<Offering> find(String ref) {
        return jdbc.sql("select id, ref, provider_id, title, description, base_price, currency, delivery_days from service_offering where ref = :ref")
                .param("ref", ref)
                .query((rs, n) -> {
                    Currency currency = Currency.getInstance(rs.getString("currency"));
                    long id = rs.getLong("id");
                    return new Offering(id, rs.getString("ref"), rs.getString("provider_id"), rs.getString("title"),
                            rs.getString("description"), money(rs.getBigDecimal("base_price"), currency), rs.getInt("delivery_days"),
                            options(id, currency));
                })
                .optional();
    }

    /** The reference of a service by its id. */
    String refOf(long offeringId) {
        return jdbc.sql("select ref from service_offering where id = :id").param("id", offeringId).query(String.class).single();
    }

    public Offering require(String ref) {
        return find(ref).orElseThrow(() -> new NotFoundException("No service " + ref));
    }

    public List<Offering> ofProvider(String providerId) {
        return jdbc.sql("select ref from service_offering where provider_id = :provider order by id desc")
                .param("provider", providerId).query(String.class).list().stream()
                .map(ref -> find(ref).orElseThrow()).toList();
    }

    private List<Option> options(long offeringId, Currency currency) {
        return jdbc.sql("select id, name, price, extra_days from service_offering_option where offering_id = :id order by id")
                .param("id", offeringId)
                .query((rs, n) -> new Option(rs.getLong("id"), rs.getString("name"), money(rs.getBigDecimal("price"), currency),
                        rs.getInt("extra_days")))
                .list();
    }

    /** An option's price is in the service's currency; its currency errors are reported once, on the service. */
    private static Money optionPrice(FieldErrors errors, String field, String price, Money basePrice) {
        FieldErrors own = new FieldErrors();
        Money parsed = MoneyInput.positive(price, basePrice == null ? "EUR" : basePrice.currencyCode(), field, "currency", own);
        own.list().stream().filter(e -> e.field().equals(field)).forEach(e -> errors.add(e.field(), e.rule(), e.message()));
        return basePrice == null ? null : parsed;
    }

    static int days(FieldErrors errors, String field, Integer value, int min) {
        if (value == null) {
            if (min == 0) {
                return 0;
            }
            errors.add(field, "required", "is required, a whole number of days");
            return 0;
        }
        if (value < min || value > MAX_DAYS) {
            errors.add(field, "range", "must be between " + min + " and " + MAX_DAYS + " days");
        }
        return value;
    }

    static Money money(BigDecimal stored, Currency currency) {
        return new Money(stored.setScale(currency.getDefaultFractionDigits(), RoundingMode.UNNECESSARY), currency);
    }
}
