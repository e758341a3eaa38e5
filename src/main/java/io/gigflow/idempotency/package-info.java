/**
 * Idempotent requests of the domain API: a state-changing call with an {@code Idempotency-Key}
 * header runs in one transaction with its key, and a retry with the same key is answered with the
 * first answer instead of doing the work again ({@link io.gigflow.idempotency.IdempotencyFilter}).
 */
@ApplicationModule(allowedDependencies = {"shared", "identity"})
package io.gigflow.idempotency;

import org.springframework.modulith.ApplicationModule;
