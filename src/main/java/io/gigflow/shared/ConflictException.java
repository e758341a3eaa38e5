package io.gigflow.shared;

/** The object exists but its state forbids the action (editing a paid task): 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
