package io.gigflow.shared;

/** The caller is known but may not do this (a contractor creating a company's task): 403. */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message);
    }
}
