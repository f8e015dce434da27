package io.stowage.testkit;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One request as a test server received it, for assertions.
 *
 * @param method the request method, as sent ({@code GET}, {@code HEAD})
 * @param path the decoded path ({@code /models/my model.bin})
 * @param rawPath the path as it was on the wire ({@code /models/my%20model.bin}), to check how a
 *     client encoded it
 * @param query the raw query string without {@code ?}, or null when there was none
 * @param headers every request header, names in lower case, values in arrival order. {@link
 *     HubServer} replaces credentials ({@code authorization}, {@code cookie}) with {@code
 *     "<redacted>"} (keeping the scheme, e.g. {@code "Bearer <redacted>"}) so a token never lands
 *     in a test report; {@link HttpFileServer} keeps them, since its tests check configured
 *     headers.
 */
public record RecordedRequest(
    String method,
    String path,
    String rawPath,
    @Nullable String query,
    Map<String, List<String>> headers) {

  public RecordedRequest {
    TreeMap<String, List<String>> copy = new TreeMap<>();
    headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    headers = Collections.unmodifiableMap(copy);
  }

  /** The first value of the named header (any letter case), or null. */
  public @Nullable String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public boolean hasHeader(String name) {
    return headers.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** The {@code Range} header, or null. */
  public @Nullable String range() {
    return header("range");
  }

  /** Whether the request carried an {@code Authorization} header (whatever its value). */
  public boolean hasAuthorization() {
    return hasHeader("authorization");
  }
}
