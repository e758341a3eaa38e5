package io.gigflow.shared;

/** A business refusal of a well-formed request (a balance that does not cover it): 422, and nothing changed. */
public class UnprocessableException extends RuntimeException {

    public UnprocessableException(String message) {
        super(message);
    }
}
