package io.gigflow.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The companies and people {@link Parties} found lately (name, e-mail address), kept for a short
 * while across transactions: a task payout asked the identity tables for the same contractor's
 * name and the same company's name in each of its five transactions. Only what is shown or
 * addressed is kept here; memberships, which decide who may do what, are always asked afresh.
 *
 * <p>Every write to the engine's identity (a profile, a group, a membership, a deletion, through
 * any door) forgets all of it once that write commits ({@link IdentityWrites}), so this node
 * shows a change at once. Another node of a cluster may show the old name or send to the old
 * address for up to {@code gigflow.parties.remember-for} (30 seconds; {@code 0} keeps nothing).
 * Nothing that was not found is kept: a company or person created a moment ago is found.
 */
@Component
class KnownParties {

    private final Cache<String, Object> known;
    /** Counts the identity writes: an answer read while one committed may be the old one and is not kept. */
    private final AtomicLong writes = new AtomicLong();

    KnownParties(@Value("${gigflow.parties.remember-for:PT30S}") Duration rememberFor) {
        if (rememberFor.isNegative()) {
            throw new IllegalArgumentException("gigflow.parties.remember-for must not be negative");
        }
        this.known = rememberFor.isZero() ? null
                : Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(rememberFor).build();
    }

    /** What was found for {@code key} lately, or {@code lookup}'s answer (kept when something was found). */
    @SuppressWarnings("unchecked")
    <T> Optional<T> get(String key, Supplier<Optional<T>> lookup) {
        if (known == null) {
            return lookup.get();
        }
        Object found = known.getIfPresent(key);
        if (found != null) {
            return Optional.of((T) found);
        }
        long before = writes.get();
        Optional<T> answer = lookup.get();
        if (answer.isPresent() && writes.get() == before) {
            known.put(key, answer.get());
            if (writes.get() != before) {
                known.invalidate(key); // a write committed meanwhile: the answer may be the old one
            }
        }
        return answer;
    }

    /** Forgets everything: called once a write to the engine's identity has committed. */
    void forgetAll() {
        writes.incrementAndGet();
        if (known != null) {
            known.invalidateAll();
        }
    }
}
