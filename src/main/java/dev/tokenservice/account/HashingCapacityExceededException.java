package dev.tokenservice.account;

/** Every password-hashing slot of this node is taken and its queue is full: retry shortly. */
public class HashingCapacityExceededException extends RuntimeException {

    public HashingCapacityExceededException() {
        super("the node is busy checking passwords; retry shortly", null, false, false);
    }
}
