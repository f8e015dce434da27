package io.stowage.serving.pod;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The part of Go's {@code text/template} that KServe's runtimes and domain templates use, applied
 * to strings: {@code {{.Name}}}, {@code {{ .Namespace }}}, {@code {{.Labels.key}}}, {@code
 * {{.Annotations.key}}} and {@code {{index .Annotations "key"}}}, with Go's whitespace-trimming
 * markers. As in Go, a missing map key renders {@code <no value>} through a field chain and nothing
 * through {@code index}; anything else is an error, as a template Go cannot execute is one.
 */
public final class Templates {
  private static final Pattern ACTION = Pattern.compile("\\{\\{(-?)(.*?)(-?)}}", Pattern.DOTALL);
  private static final Pattern FIELD_CHAIN =
      Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)((?:\\.[A-Za-z0-9_]+)*)");
  private static final Pattern INDEX =
      Pattern.compile("index\\s+\\.([A-Za-z_][A-Za-z0-9_]*)\\s+\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final String NO_VALUE = "<no value>";

  private Templates() {}

  /** A template action that cannot be evaluated; the message names it. */
  public static final class TemplateException extends Exception {
    private static final long serialVersionUID = 1L;

    TemplateException(String message) {
      super(message);
    }
  }

  /** True when {@code text} contains a template action and needs {@link #render}. */
  public static boolean hasActions(String text) {
    return text.contains("{{");
  }

  /**
   * Renders {@code text} with {@code data}: top-level fields map to strings or to string maps
   * ({@code Labels}, {@code Annotations}).
   */
  public static String render(String text, Map<String, Object> data) throws TemplateException {
    if (!hasActions(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    Matcher m = ACTION.matcher(text);
    int last = 0;
    while (m.find()) {
      String before = text.substring(last, m.start());
      if (!m.group(1).isEmpty()) {
        before = before.stripTrailing();
      }
      out.append(before);
      out.append(evaluate(m.group(2).strip(), data));
      last = m.end();
      if (!m.group(3).isEmpty()) {
        while (last < text.length() && Character.isWhitespace(text.charAt(last))) {
          last++;
        }
      }
    }
    String rest = text.substring(last);
    if (rest.contains("{{")) {
      throw new TemplateException("unclosed action in \"" + text + "\"");
    }
    out.append(rest);
    return out.toString();
  }

  private static String evaluate(String action, Map<String, Object> data) throws TemplateException {
    Matcher index = INDEX.matcher(action);
    if (index.matches()) {
      Map<?, ?> map = mapField(index.group(1), data, action);
      Object value = map.get(index.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
      return value == null ? "" : value.toString();
    }
    Matcher chain = FIELD_CHAIN.matcher(action);
    if (chain.matches()) {
      Object value = field(chain.group(1), data, action);
      String rest = chain.group(2);
      if (rest.isEmpty()) {
        return value == null ? "" : value.toString();
      }
      for (String key : rest.substring(1).split("\\.", -1)) {
        if (!(value instanceof Map<?, ?> map)) {
          throw new TemplateException("can't evaluate " + action + ": not a map before ." + key);
        }
        value = map.get(key);
        if (value == null) {
          return NO_VALUE;
        }
      }
      return String.valueOf(value);
    }
    throw new TemplateException("unsupported template action {{" + action + "}}");
  }

  private static @Nullable Object field(String name, Map<String, Object> data, String action)
      throws TemplateException {
    if (!data.containsKey(name)) {
      throw new TemplateException("can't evaluate field " + name + " in {{" + action + "}}");
    }
    return data.get(name);
  }

  private static Map<?, ?> mapField(String name, Map<String, Object> data, String action)
      throws TemplateException {
    Object value = field(name, data, action);
    if (value instanceof Map<?, ?> map) {
      return map;
    }
    throw new TemplateException("can't index " + name + " in {{" + action + "}}: not a map");
  }
}
