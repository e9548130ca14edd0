package dev.tokenservice.dpop;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** DPoP (RFC 9449), under {@code auth.dpop.*}. */
@ConfigMapping(prefix = "auth.dpop")
public interface DpopConfig {

    /** How old a proof's {@code iat} may be; it may be no more than {@code auth.clock-skew} in the future. */
    @WithDefault("60S")
    Duration proofMaxAge();

    /**
     * Whether every proof must carry a server nonce (RFC 9449 §8, §9). Nonces are made by any node and accepted by
     * every node of the deployment: they are derived from the active signing key, which all nodes share.
     */
    @WithDefault("false")
    boolean nonceRequired();

    /** How long one nonce is handed out; a nonce is accepted for twice this. */
    @WithDefault("5M")
    Duration nonceLifetime();
}
