package io.gigflow.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.gigflow.identity.CamundaUsers.CamundaUser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Successful HTTP Basic sign-ins, remembered for a short while ({@code gigflow.security.sign-in-cache},
 * 60 seconds after the check by default), so that a client sending the same credentials with every
 * request is not checked by Camunda every time (a transaction, the user's row, the salted hash, a
 * group query). Only successes are remembered, one per user: the user's groups and a proof of the
 * password, an HMAC-SHA256 of the user id and the password under a key drawn at random when the
 * process starts. The password itself is never kept, and the proof means nothing outside this
 * process. The key lives in the same memory, so a heap dump still allows guessing a weak password
 * offline, as Camunda's salted hash in the database does; precomputed tables do not help.
 *
 * <p>A wrong password is never answered here: it goes to Camunda, which counts it and locks the
 * user for the back-off, and its 401 counts for the client address's throttle
 * ({@link LoginThrottle}). It also forgets the user's remembered success. A remembered success
 * comes from the right password and could be allowed to stand during the lock; it does not,
 * because during the lock the database refuses the right password too, and a remembered answer
 * must never grant more than the database would now. So the right password goes to Camunda again
 * and is refused until the lock is over, exactly as without the cache. Whoever sends wrong
 * passwords for a user thereby keeps that user's sign-ins from the cache, which costs a check per
 * request and nothing else; the back-off already lets them do more.
 *
 * <p>Every write to the engine's identity (a password, a user, a group, a membership, through
 * gigflow's API, Camunda's Admin or REST API or the Java API) forgets every remembered success
 * once its transaction has committed ({@link IdentityWrites}): such writes are rare. A check that
 * was running while a write committed or a sign-in failed may have read the state before it, so
 * its success is not kept (the generation below). Other nodes of a cluster do not hear of this
 * node's writes and failures: there a remembered success (an old password, a removed group, a
 * deleted user, a user locked since) lives until its time is up, which is why that time is short.
 */
final class SignInCache {

    private record Success(byte[] proof, CamundaUser user) {
    }

    /** Null when the cache is off. */
    private final Cache<String, Success> successes;
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;
    /** Counts identity writes and failed sign-ins: a check that saw it change may have read the state before them. */
    private final AtomicLong generation = new AtomicLong();

    SignInCache(SignInCacheSettings settings, Ticker ticker) {
        this.successes = settings.enabled()
                ? Caffeine.newBuilder().maximumSize(settings.maxUsers()).expireAfterWrite(settings.timeToLive()).ticker(ticker).build()
                : null;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * The signed-in user for these credentials: the remembered success when the password is the
     * one that succeeded, otherwise {@code check}'s answer (Camunda's), remembered when it is a
     * success; null when the credentials are refused.
     */
    CamundaUser signIn(String userId, String password, Supplier<CamundaUser> check) {
        if (successes == null) {
            return check.get();
        }
        byte[] proof = proof(userId, password);
        Success known = successes.getIfPresent(userId);
        if (known != null && MessageDigest.isEqual(known.proof(), proof)) {
            return known.user();
        }
        long before = generation.get();
        CamundaUser checked = check.get();
        if (checked == null) {
            forget(userId);
            return null;
        }
        successes.put(userId, new Success(proof, checked));
        if (generation.get() != before) {
            // a write or a failure since the check began: forgetting everything, it may have missed this entry
            successes.invalidate(userId);
        }
        return checked;
    }

    /** Forgets every remembered success: the engine's identity has changed. */
    void forgetAll() {
        generation.incrementAndGet();
        if (successes != null) {
            successes.invalidateAll();
        }
    }

    private void forget(String userId) {
        generation.incrementAndGet();
        successes.invalidate(userId);
    }

    private byte[] proof(String userId, String password) {
        Mac mac = macs.get();
        byte[] id = userId.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(id.length).array());
        mac.update(id);
        return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }
}
