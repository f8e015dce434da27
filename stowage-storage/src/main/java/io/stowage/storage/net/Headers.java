package io.stowage.storage.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** An ordered, immutable list of HTTP header fields with case-insensitive lookup. */
public final class Headers {
  private static final Headers EMPTY = new Headers(List.of());

  private final List<Field> fields;

  /** One header field as it appears on the wire. */
  public record Field(String name, String value) {
    public Field {
      if (name.isEmpty() || name.indexOf(':') >= 0 || hasLineBreak(name) || hasLineBreak(value)) {
        throw new IllegalArgumentException("Invalid header field " + name);
      }
    }

    private static boolean hasLineBreak(String s) {
      return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
  }

  private Headers(List<Field> fields) {
    this.fields = List.copyOf(fields);
  }

  public static Headers empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Field> fields() {
    return fields;
  }

  /** The first value of the named field. */
  public Optional<String> first(String name) {
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(name)) {
        return Optional.of(f.value());
      }
    }
    return Optional.empty();
  }

  /** All values of the named field, in order. */
  public List<String> all(String name) {
    List<String> values = new ArrayList<>();
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(name)) {
        values.add(f.value());
      }
    }
    return values;
  }

  /** True when a comma-separated field such as {@code Connection} contains the token. */
  public boolean hasToken(String name, String token) {
    for (String value : all(name)) {
      for (String part : value.split(",", -1)) {
        if (part.strip().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.fields.addAll(fields);
    return b;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Field f : fields) {
      String lower = f.name().toLowerCase(Locale.ROOT);
      boolean secret =
          lower.equals("authorization")
              || lower.equals("proxy-authorization")
              || lower.equals("x-amz-security-token")
              || lower.equals("cookie");
      sb.append(f.name()).append(": ").append(secret ? "***" : f.value()).append('\n');
    }
    return sb.toString();
  }

  /** Builds a header list; {@link #set} replaces, {@link #add} appends. */
  public static final class Builder {
    private final List<Field> fields = new ArrayList<>();

    public Builder add(String name, String value) {
      fields.add(new Field(name, value));
      return this;
    }

    public Builder set(String name, String value) {
      fields.removeIf(f -> f.name().equalsIgnoreCase(name));
      return add(name, value);
    }

    public Headers build() {
      return fields.isEmpty() ? EMPTY : new Headers(fields);
    }
  }
}
