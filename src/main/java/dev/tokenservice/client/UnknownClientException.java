package dev.tokenservice.client;

/** A login or refresh named a client that does not exist or may not use that grant without authenticating. */
public class UnknownClientException extends RuntimeException {

    public UnknownClientException(String detail) {
        super(detail, null, false, false);
    }
}
