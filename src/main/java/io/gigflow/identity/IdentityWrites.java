package io.gigflow.identity;

import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.cmd.AbstractWritableIdentityServiceCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

/**
 * Tells the {@link SignInCache} and {@link KnownParties} of every write to the engine's identity once its transaction has
 * committed, whatever the door: gigflow's {@code PUT /api/me/password}, Camunda's Admin and
 * {@code /engine-rest} (a user's profile, password or deletion, a group, a membership), the Java
 * API of start-up tasks, demo data and tests. Every one of them is an engine command, and every
 * command of the engine that writes users, groups, memberships or tenants extends
 * {@link AbstractWritableIdentityServiceCmd}. Runs inside the command's context, so a write within
 * a larger transaction is told when that transaction commits, and not at all when it rolls back.
 */
final class IdentityWrites extends CommandInterceptor {

    private final SignInCache signIns;
    private final KnownParties known;

    IdentityWrites(SignInCache signIns, KnownParties known) {
        this.signIns = signIns;
        this.known = known;
    }

    @Override
    public <T> T execute(Command<T> command) {
        T result = next.execute(command);
        if (command instanceof AbstractWritableIdentityServiceCmd<?>) {
            Context.getCommandContext().getTransactionContext()
                    .addTransactionListener(TransactionState.COMMITTED, committed -> {
                        signIns.forgetAll();
                        known.forgetAll();
                    });
        }
        return result;
    }
}
