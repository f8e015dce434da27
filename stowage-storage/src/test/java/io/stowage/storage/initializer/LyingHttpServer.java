package io.stowage.storage.initializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A loopback HTTP/1.1 file server that serves one object correctly (ranges, ETag) except for the
 * lie it is told to tell on some answers, at the byte level: what {@link
 * io.stowage.testkit.HttpFileServer} (built on the JDK's server) cannot be made to send.
 */
final class LyingHttpServer implements AutoCloseable {
  /** What the server does to one answer. */
  enum Lie {
    /** Tell the truth. */
    NONE,
    /** Promise the whole Content-Length, send half of it, close. */
    LYING_CONTENT_LENGTH,
    /** A consistent answer (Content-Length and Content-Range agree) with half the bytes asked. */
    SHORT_BUT_CONSISTENT,
    /** Answer a range request with 200 and the whole object. */
    FULL_FOR_RANGE
  }

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  private final ServerSocket socket;
  private final byte[] content;
  private final String etag;
  private final AtomicInteger gets = new AtomicInteger();
  private volatile Lie lie = Lie.NONE;
  private volatile int lieFromGet = 1;
  private volatile int lies = Integer.MAX_VALUE;

  LyingHttpServer(byte[] content, String etag) throws IOException {
    this.content = content;
    this.etag = etag;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "lying-http-server");
    t.setDaemon(true);
    t.start();
  }

  /** Tells {@code lie} on {@code count} GETs, starting with the {@code fromGet}-th (1-based). */
  void lie(Lie lie, int fromGet, int count) {
    this.lieFromGet = fromGet;
    this.lies = count;
    this.lie = lie;
  }

  String url(String name) {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/" + name;
  }

  int gets() {
    return gets.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "lying-http-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        if (!answer(head, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // The client hung up.
    }
  }

  /** Writes one answer; false when the connection must close after it. */
  private boolean answer(String head, OutputStream out) throws IOException {
    boolean isHead = head.startsWith("HEAD ");
    Matcher range = null;
    for (String line : head.split("\r\n", -1)) {
      if (line.toLowerCase(Locale.ROOT).startsWith("range:")) {
        Matcher m = RANGE.matcher(line.substring(6).strip());
        range = m.matches() ? m : null;
      }
    }
    Lie now = Lie.NONE;
    if (!isHead) {
      int n = gets.incrementAndGet();
      if (n >= lieFromGet && n < lieFromGet + lies) {
        now = lie;
      }
    }
    int start = 0;
    int end = content.length - 1;
    boolean partial = range != null && now != Lie.FULL_FOR_RANGE;
    if (range != null && partial) {
      start = Integer.parseInt(range.group(1));
      end = range.group(2).isEmpty() ? end : Math.min(end, Integer.parseInt(range.group(2)));
    }
    int length = end - start + 1;
    int sent = length;
    if (now == Lie.SHORT_BUT_CONSISTENT || now == Lie.LYING_CONTENT_LENGTH) {
      sent = Math.max(1, length / 2);
    }
    int declared = now == Lie.SHORT_BUT_CONSISTENT ? sent : length;
    StringBuilder h = new StringBuilder();
    h.append(partial ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n");
    h.append("Accept-Ranges: bytes\r\nETag: ").append(etag).append("\r\n");
    if (partial) {
      int shownEnd = start + declared - 1;
      h.append("Content-Range: bytes ")
          .append(start)
          .append('-')
          .append(shownEnd)
          .append('/')
          .append(content.length)
          .append("\r\n");
    }
    h.append("Content-Length: ").append(declared).append("\r\n\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!isHead) {
      out.write(content, start, sent);
    }
    out.flush();
    return now != Lie.LYING_CONTENT_LENGTH;
  }

  private static @Nullable String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      b.write(c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
