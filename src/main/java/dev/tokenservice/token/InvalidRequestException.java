package dev.tokenservice.token;

/** A request that is well-formed JSON but asks for something this endpoint does not take. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String detail) {
        super(detail, null, false, false);
    }
}
