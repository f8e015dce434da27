package io.stowage.serving.pod;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The part of Go's templates that KServe's runtimes and domain templates use, applied to strings:
 * {@code {{.Name}}}, {@code {{ .Namespace }}}, {@code {{.Labels.key}}}, {@code
 * {{.Annotations.key}}} and {@code {{index .Annotations "key"}}}, with Go's whitespace-trimming
 * markers. Anything else is an error, as a template Go cannot execute is one.
 *
 * <p>A missing map key renders nothing through {@code index}. Through a field chain it renders
 * {@code <no value>} in {@link #render} (Go's {@code text/template}, which KServe's domain template
 * uses) and nothing in {@link #renderContainerField}: KServe renders a runtime's container with
 * {@code html/template}, whose escaper drops a missing value (KServeDifferentialIT, case {@code
 * runtime-auto-select-templates}).
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
    return render(text, data, NO_VALUE);
  }

  /**
   * Renders a string of a runtime's container as KServe does: like {@link #render}, but a missing
   * key of a field chain gives the empty string. Values are inserted as they are; KServe's {@code
   * html/template} also HTML-escapes them (an ampersand becomes its HTML entity), which Stowage
   * does not copy (docs/compatibility.md).
   */
  public static String renderContainerField(String text, Map<String, Object> data)
      throws TemplateException {
    return render(text, data, "");
  }

  private static String render(String text, Map<String, Object> data, String missing)
      throws TemplateException {
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
      out.append(evaluate(m.group(2).strip(), data, missing));
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

  private static String evaluate(String action, Map<String, Object> data, String missing)
      throws TemplateException {
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
          return missing;
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
