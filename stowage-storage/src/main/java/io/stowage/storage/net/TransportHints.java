package io.stowage.storage.net;

/**
 * What to tell a user whose connection failed: the settings that choose the endpoint, the timeouts
 * and the TLS trust of the source at hand.
 *
 * @param endpoint where the endpoint is set
 * @param connectTimeout the connect timeout's setting
 * @param readTimeout the read timeout's setting
 * @param switchToTls how to switch to TLS when the server turned out to speak it
 * @param switchToPlain how to switch to plain HTTP when the server does not speak TLS
 * @param trust how to trust the server's certificate
 */
public record TransportHints(
    String endpoint,
    String connectTimeout,
    String readTimeout,
    String switchToTls,
    String switchToPlain,
    String trust) {}
