package io.gigflow.identity;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a refused start for want of an administrator password as what it is, without a stack trace. */
public class AdminPasswordFailureAnalyzer extends AbstractFailureAnalyzer<AdminPasswordCheck.MissingAdminPasswordException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AdminPasswordCheck.MissingAdminPasswordException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Start gigflow with GIGFLOW_ADMIN_PASSWORD set to the password of the first administrator "
                        + "(at least 10 characters with a lower-case and an upper-case letter, a digit and a special character).",
                cause);
    }
}
