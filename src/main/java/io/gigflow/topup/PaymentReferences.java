package io.gigflow.topup;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * The payment references payers quote on their bank transfers: {@code GF-} and ten symbols of
 * Crockford's base32 (digits and letters without I, L, O and U, so nothing reads as another
 * symbol) from 50 random bits, and a check symbol, e.g. {@code GF-7K3M9QH2XW-T}. The check symbol
 * is a weighted sum (odd weights, modulo 32) of the ten: every single mistyped symbol and almost
 * every swap of two neighbours gives a reference that is refused as mistyped rather than
 * crediting somebody else. Reading one back forgives case, spaces and the look-alikes I, L
 * (read as 1) and O (read as 0), as Crockford intends.
 */
final class PaymentReferences {

    static final String PREFIX = "GF-";
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int SYMBOLS = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PaymentReferences() {
    }

    static String generate() {
        long bits = RANDOM.nextLong() >>> 14; // 50 bits
        StringBuilder symbols = new StringBuilder(SYMBOLS);
        for (int i = 0; i < SYMBOLS; i++) {
            symbols.append(ALPHABET.charAt((int) (bits & 31)));
            bits >>>= 5;
        }
        return PREFIX + symbols + "-" + check(symbols);
    }

    /** The reference in its canonical spelling, or empty when it is not one (wrong shape or check symbol). */
    static Optional<String> canonical(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String text = typed.strip().toUpperCase(Locale.ROOT).replace(" ", "").replace('I', '1').replace('L', '1').replace('O', '0');
        if (text.startsWith("GF-")) {
            text = text.substring(3);
        } else if (text.startsWith("GF")) {
            text = text.substring(2);
        } else {
            return Optional.empty();
        }
        text = text.replace("-", "");
        if (text.length() != SYMBOLS + 1) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (ALPHABET.indexOf(text.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        String symbols = text.substring(0, SYMBOLS);
        if (check(symbols) != text.charAt(SYMBOLS)) {
            return Optional.empty();
        }
        return Optional.of(PREFIX + symbols + "-" + text.charAt(SYMBOLS));
    }

    static char check(CharSequence symbols) {
        int sum = 0;
        for (int i = 0; i < symbols.length(); i++) {
            sum += (2 * i + 1) * ALPHABET.indexOf(symbols.charAt(i));
        }
        return ALPHABET.charAt(sum & 31);
    }
}
