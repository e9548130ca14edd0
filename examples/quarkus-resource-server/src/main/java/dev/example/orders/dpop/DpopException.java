package dev.example.orders.dpop;

/** A refusal: {@code error} is the OAuth error code of the challenge; status 401, or 503 when the replay set is full. */
public final class DpopException extends Exception {

    private final String error;
    private final int status;

    public DpopException(String error, String description) {
        this(error, description, 401);
    }

    public DpopException(String error, String description, int status) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }
}
