package io.gigflow.withdrawal;

import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.UnprocessableException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.iban4j.IbanFormatException;
import org.iban4j.IbanUtil;
import org.iban4j.InvalidCheckDigitException;
import org.iban4j.UnsupportedCountryException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The payout destinations on a person's profile: where its withdrawals go. An IBAN (normalised,
 * checked by its ISO 13616 mod-97 check digits and its country's length and format, with the
 * holder's name) or a card or wallet reference (plain text). Nobody sees another person's
 * destinations: they do not exist for them (404).
 */
@Service
public class PayoutDestinations {

    static final int MAX_DESTINATIONS = 20;
    static final int MAX_REFERENCE = 100;
    static final int MAX_HOLDER = 140;
    static final int MAX_LABEL = 100;

    public enum Kind {
        IBAN, CARD, WALLET
    }

    /** What a person sends to add a destination: {@code iban} and {@code holderName} for IBAN, {@code reference} for CARD and WALLET. */
    public record NewDestination(String kind, @Nullable String iban, @Nullable String holderName, @Nullable String reference,
            @Nullable String label) {
    }

    /** A destination as its owner sees it in lists: an IBAN or card reference masked but for its last four characters. */
    public record DestinationView(long id, Kind kind, @Nullable String iban, @Nullable String holderName,
            @Nullable String reference, @Nullable String label, OffsetDateTime createdAt) {
    }

    record Destination(long id, String ownerId, Kind kind, String iban, String holderName, String reference, String label,
            OffsetDateTime createdAt) {

        /** The destination as finance pays to it. */
        String full() {
            return kind == Kind.IBAN ? "IBAN " + grouped(iban) + " (" + holderName + ")" : kind + " " + reference;
        }

        /** The destination as lists show it. */
        String masked() {
            return kind == Kind.IBAN ? "IBAN " + mask(iban) + " (" + holderName + ")"
                    : kind + " " + (kind == Kind.CARD ? mask(reference) : reference);
        }

        DestinationView view() {
            return new DestinationView(id, kind, kind == Kind.IBAN ? mask(iban) : null, holderName,
                    kind == Kind.CARD ? mask(reference) : reference, label, createdAt);
        }
    }

    private final JdbcClient jdbc;
    private final CurrentUser currentUser;
    private final TimeSource time;

    PayoutDestinations(JdbcClient jdbc, CurrentUser currentUser, TimeSource time) {
        this.jdbc = jdbc;
        this.currentUser = currentUser;
        this.time = time;
    }

    @Transactional
    public DestinationView add(NewDestination request) {
        String owner = currentUser.require();
        FieldErrors errors = new FieldErrors();
        Kind kind = null;
        if (request.kind() == null || request.kind().isBlank()) {
            errors.add("kind", "required", "is required: IBAN, CARD or WALLET");
        } else {
            try {
                kind = Kind.valueOf(request.kind().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add("kind", "oneOf", "must be IBAN, CARD or WALLET");
            }
        }
        String iban = null;
        String holder = null;
        String reference = null;
        if (kind == Kind.IBAN) {
            iban = iban(request.iban(), errors);
            holder = plainText(errors, "holderName", request.holderName(), MAX_HOLDER, true);
            absent(errors, "reference", request.reference(), "is for CARD and WALLET destinations");
        } else if (kind != null) {
            reference = plainText(errors, "reference", request.reference(), MAX_REFERENCE, true);
            absent(errors, "iban", request.iban(), "is for IBAN destinations");
            absent(errors, "holderName", request.holderName(), "is for IBAN destinations");
        }
        String label = plainText(errors, "label", request.label(), MAX_LABEL, false);
        errors.throwIfAny("Invalid payout destination");
        if (jdbc.sql("select count(*) from payout_destination where owner_id = :o").param("o", owner).query(Integer.class).single()
                >= MAX_DESTINATIONS) {
            throw new UnprocessableException("A person keeps at most " + MAX_DESTINATIONS + " payout destinations; remove one first");
        }
        KeyHolder keys = new GeneratedKeyHolder();
        OffsetDateTime now = time.now();
        jdbc.sql("""
                insert into payout_destination (owner_id, kind, iban, holder_name, reference, label, created_at)
                values (:owner, :kind, :iban, :holder, :reference, :label, :now)""")
                .param("owner", owner).param("kind", kind.name()).param("iban", iban).param("holder", holder)
                .param("reference", reference).param("label", label).param("now", now)
                .update(keys, "id");
        return new Destination(keys.getKeyAs(Number.class).longValue(), owner, kind, iban, holder, reference, label, now).view();
    }

    public List<DestinationView> mine() {
        return jdbc.sql("select * from payout_destination where owner_id = :o order by id").param("o", currentUser.require())
                .query(PayoutDestinations::map).list().stream().map(Destination::view).toList();
    }

    @Transactional
    public void remove(long id) {
        String owner = currentUser.require();
        if (jdbc.sql("delete from payout_destination where id = :id and owner_id = :o").param("id", id).param("o", owner).update() == 0) {
            throw new NotFoundException("No payout destination " + id);
        }
    }

    /** The owner's destination; empty for anybody else's (they do not exist for the caller). */
    Optional<Destination> of(String owner, long id) {
        return jdbc.sql("select * from payout_destination where id = :id and owner_id = :o").param("id", id).param("o", owner)
                .query(PayoutDestinations::map).optional();
    }

    /** The IBAN without spaces, in upper case, when its country, length, format and check digits are right. */
    static String iban(Object raw, FieldErrors errors) {
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            errors.add("iban", "required", "is required for an IBAN destination");
            return null;
        }
        if (!(raw instanceof String text) || text.length() > 50) {
            errors.add("iban", "format", "must be an IBAN such as DE89 3704 0044 0532 0130 00");
            return null;
        }
        String iban = text.replace(" ", "").toUpperCase(Locale.ROOT);
        if (!iban.matches("[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")) {
            errors.add("iban", "format", "must be a country code, two check digits and the account (letters and digits), "
                    + "such as DE89 3704 0044 0532 0130 00");
            return null;
        }
        try {
            IbanUtil.validate(iban);
            return iban;
        } catch (InvalidCheckDigitException e) {
            errors.add("iban", "checksum", "has wrong check digits (ISO 13616 mod 97): a character is mistyped");
        } catch (UnsupportedCountryException e) {
            errors.add("iban", "country", "names a country without IBANs: " + iban.substring(0, 2));
        } catch (IbanFormatException e) {
            errors.add("iban", "format", "does not have the length and format of a " + iban.substring(0, 2) + " IBAN");
        }
        return null;
    }

    private static String plainText(FieldErrors errors, String field, String value, int max, boolean required) {
        String text = required ? errors.requiredText(field, value, max) : errors.optionalText(field, value, max);
        if (text != null && text.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            errors.add(field, "format", "must be plain text without control characters");
            return null;
        }
        return text;
    }

    private static void absent(FieldErrors errors, String field, String value, String message) {
        if (value != null) {
            errors.add(field, "absent", message);
        }
    }

    static String mask(String value) {
        if (value == null) {
            return null;
        }
        int shown = Math.min(4, value.length());
        return "*".repeat(value.length() - shown) + value.substring(value.length() - shown);
    }

    private static String grouped(String iban) {
        return iban.replaceAll("(.{4})(?!$)", "$1 ");
    }

    private static Destination map(ResultSet rs, int row) throws SQLException {
        return new Destination(rs.getLong("id"), rs.getString("owner_id"), Kind.valueOf(rs.getString("kind")), rs.getString("iban"),
                rs.getString("holder_name"), rs.getString("reference"), rs.getString("label"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
