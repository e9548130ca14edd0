package dev.tokenservice.client;

/** RFC 6749 §2.1 client types. */
public enum ClientType {
    /** Cannot keep a secret: a browser page, a mobile app. */
    PUBLIC,
    /** Authenticates with its secret: a server. */
    CONFIDENTIAL
}
