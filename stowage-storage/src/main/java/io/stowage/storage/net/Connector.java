package io.stowage.storage.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Opens connections: direct, through a forward proxy, or tunnelled through one for TLS. */
final class Connector {
  private final NetSettings settings;

  Connector(NetSettings settings) {
    this.settings = settings;
  }

  Connection open(Origin origin) throws IOException {
    Optional<URI> proxy = settings.proxy().proxyFor(origin);
    if (proxy.isEmpty()) {
      return origin.isTls()
          ? tls(origin, rawSocket(origin.host(), origin.port()), false)
          : new PlainConnection(
              origin, false, settings.readTimeout(), channel(origin.host(), origin.port()));
    }
    Origin proxyOrigin = proxyOrigin(proxy.get());
    if (!origin.isTls()) {
      return new PlainConnection(
          origin, true, settings.readTimeout(), channel(proxyOrigin.host(), proxyOrigin.port()));
    }
    Socket raw = rawSocket(proxyOrigin.host(), proxyOrigin.port());
    try {
      tunnel(raw, origin, proxy.get());
      return tls(origin, raw, true);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** The {@code Proxy-Authorization} value for a proxy URI with user info, if it has any. */
  static Optional<String> proxyAuthorization(URI proxy) {
    String userInfo = proxy.getRawUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      return Optional.empty();
    }
    String decoded = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
    return Optional.of(
        "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
  }

  private static Origin proxyOrigin(URI proxy) throws IOException {
    if (proxy.getScheme() == null || !proxy.getScheme().equalsIgnoreCase("http")) {
      throw new IOException("only http:// forward proxies are supported, not " + proxy.getScheme());
    }
    return Origin.of(proxy);
  }

  private SocketChannel channel(String host, int port) throws IOException {
    IOException last = null;
    for (InetAddress address : InetAddress.getAllByName(host)) {
      SocketChannel ch = SocketChannel.open();
      try {
        ch.socket().connect(new InetSocketAddress(address, port), timeoutMillis());
        ch.socket().setTcpNoDelay(true);
        ch.socket().setKeepAlive(true);
        return ch;
      } catch (IOException e) {
        ch.close();
        last = e;
      }
    }
    throw last != null ? last : new IOException("no address for " + host);
  }

  private Socket rawSocket(String host, int port) throws IOException {
    IOException last = null;
    for (InetAddress address : InetAddress.getAllByName(host)) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(address, port), timeoutMillis());
        s.setTcpNoDelay(true);
        s.setKeepAlive(true);
        s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.readTimeout().toMillis()));
        return s;
      } catch (IOException e) {
        s.close();
        last = e;
      }
    }
    throw last != null ? last : new IOException("no address for " + host);
  }

  private Connection tls(Origin origin, Socket raw, boolean viaProxy) throws IOException {
    try {
      SSLSocket tls =
          (SSLSocket)
              settings
                  .tls()
                  .context()
                  .getSocketFactory()
                  .createSocket(raw, origin.host(), origin.port(), true);
      SSLParameters params = tls.getSSLParameters();
      if (settings.tls().verify()) {
        params.setEndpointIdentificationAlgorithm("HTTPS");
      }
      params.setApplicationProtocols(new String[] {"http/1.1"});
      tls.setSSLParameters(params);
      tls.startHandshake();
      return new TlsConnection(origin, viaProxy, settings.readTimeout(), raw, tls);
    } catch (GeneralSecurityException e) {
      raw.close();
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  private void tunnel(Socket raw, Origin origin, URI proxy) throws IOException {
    String target = origin.host().contains(":") ? "[" + origin.host() + "]" : origin.host();
    target += ":" + origin.port();
    StringBuilder head = new StringBuilder();
    head.append("CONNECT ").append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(target).append("\r\n");
    proxyAuthorization(proxy)
        .ifPresent(v -> head.append("Proxy-Authorization: ").append(v).append("\r\n"));
    head.append("\r\n");
    raw.getOutputStream().write(Connection.ascii(head.toString()));
    raw.getOutputStream().flush();
    // Read the proxy's answer byte by byte: nothing after its blank line belongs to it.
    StringBuilder answer = new StringBuilder();
    var in = raw.getInputStream();
    while (!answer.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException(
            "proxy " + Origin.of(proxy) + " closed the connection during CONNECT");
      }
      if (answer.length() > 16 * 1024) {
        throw new IOException("proxy " + Origin.of(proxy) + " sent an oversized CONNECT answer");
      }
      answer.append((char) b);
    }
    String statusLine = answer.substring(0, answer.indexOf("\r\n"));
    String[] parts = statusLine.split(" ", 3);
    int status = parts.length >= 2 ? parseStatus(parts[1]) : -1;
    if (status == 407) {
      throw new ProxyAuthenticationException(
          "proxy "
              + Origin.of(proxy)
              + " requires authentication (407); put user:password in HTTPS_PROXY");
    }
    if (status < 200 || status > 299) {
      throw new ProxyAuthenticationException(
          "proxy " + Origin.of(proxy) + " refused to connect to " + target + ": " + statusLine);
    }
  }

  private static int parseStatus(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private int timeoutMillis() {
    return (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
  }
}
