package io.gigflow.shared;

/** An id that does not exist, or that the caller may not know exists (answered alike: 404). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
