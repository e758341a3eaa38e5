package io.gigflow.shared;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Values as people read them, in forms, task names, notifications and emails: amounts with their currency in
 * one string ({@code 1,250.00 EUR}), dates and times in a named zone ({@code Fri 11 Dec 2026, 06:31 CET}),
 * durations in words ({@code 24 hours}) and codes as phrases ({@code SITE_NOT_READY} as "site not ready").
 * English throughout; one place, so every screen and message writes them the same way.
 */
public final class Readable {

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm zzz", Locale.ENGLISH);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

    private Readable() {
    }

    /** {@code 1,250.00 EUR}: grouped thousands, the currency's own number of decimals, then its code. */
    public static String money(Money money) {
        return money == null ? "" : money(money.amount(), money.currencyCode());
    }

    /** {@link #money(Money)} for an amount and a currency code held apart. */
    public static String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "";
        }
        int decimals = Math.max(amount.scale(), 0);
        try {
            decimals = java.util.Currency.getInstance(currency).getDefaultFractionDigits();
        } catch (IllegalArgumentException | NullPointerException unknown) {
            // an unknown code keeps the amount's own scale
        }
        DecimalFormat format = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ENGLISH));
        format.setMinimumFractionDigits(Math.max(decimals, 0));
        format.setMaximumFractionDigits(Math.max(decimals, 0));
        format.setRoundingMode(java.math.RoundingMode.HALF_EVEN);
        String number = format.format(amount);
        return currency == null || currency.isBlank() ? number : number + " " + currency;
    }

    /** {@code Fri 11 Dec 2026, 06:31 CET}: the instant in {@code zone}, which the text names. */
    public static String dateTime(Instant instant, ZoneId zone) {
        return instant == null ? "" : DATE_TIME.format(instant.atZone(zone));
    }

    /** {@code Fri 11 Dec 2026}. */
    public static String date(LocalDate date) {
        return date == null ? "" : DATE.format(date);
    }

    /** {@code Fri 11 Dec 2026}: the day {@code instant} falls on in {@code zone}. */
    public static String date(Instant instant, ZoneId zone) {
        return instant == null ? "" : DATE.format(instant.atZone(zone));
    }

    /**
     * {@code 24 hours}, {@code 3 days}, {@code 1 day 6 hours}, {@code 90 minutes} → "1 hour 30 minutes": the
     * largest units first, at most two of them, in words; seconds only below a minute.
     */
    public static String duration(Duration duration) {
        if (duration == null) {
            return "";
        }
        long seconds = Math.abs(duration.getSeconds());
        if (seconds < 60) {
            return plural(seconds, "second");
        }
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        List<String> parts = new ArrayList<>();
        if (days == 1 && hours == 0 && minutes == 0) {
            return "24 hours";
        }
        if (days > 0) {
            parts.add(plural(days, "day"));
        }
        if (hours > 0) {
            parts.add(plural(hours, "hour"));
        }
        if (minutes > 0 && days == 0) {
            parts.add(plural(minutes, "minute"));
        }
        return String.join(" ", parts.subList(0, Math.min(2, parts.size())));
    }

    /** {@code SITE_NOT_READY} → {@code site not ready}: a code of ours as a phrase, for where no label is defined. */
    public static String code(String code) {
        return code == null ? "" : code.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
