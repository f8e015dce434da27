package io.stowage.common;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for what of a URI may be shown in a log line, an error, a termination message, an
 * event, a status or an annotation. A URI can carry credentials in three places, and each is
 * hidden:
 *
 * <ul>
 *   <li>user-info ({@code user:password@}) becomes {@code ***@};
 *   <li>every query value becomes {@code ***}; the parameter names stay, so that a reader still
 *       sees that the URL was presigned ({@code ?X-Amz-Signature=***&X-Amz-Expires=***}); an item
 *       without {@code =} may itself be a token and becomes {@code ***};
 *   <li>a fragment ({@code #access_token=...}) becomes {@code #***}.
 * </ul>
 *
 * Scheme, host, port and path stay as written: they are what a user needs to recognise the source.
 * The URI is split as RFC 3986 does (the authority ends at the first {@code /}, {@code ?} or {@code
 * #}), so a password must be percent-encoded to be recognised as one, as it must be to be sent as
 * one. The rule is idempotent, and a string without {@code scheme://} (a local path, an S3 key) is
 * returned unchanged.
 */
public final class UriRedaction {
  /** What replaces every hidden part. */
  public static final String MASK = "***";

  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

  /**
   * An OCI digest ({@code sha256:<hex>}): in {@code oci://name@sha256:...} the {@code @} introduces
   * a digest, not a host after user-info.
   */
  private static final Pattern DIGEST =
      Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}");

  /** A URI inside free text: a scheme, {@code ://}, and everything up to white space or a quote. */
  private static final Pattern URI_IN_TEXT =
      Pattern.compile("(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>`]+");

  private UriRedaction() {}

  /**
   * {@code uri} with its user-info, query values and fragment hidden, and every control character
   * shown as {@code ?}: a shown URI (or path) stays on one line, so it cannot forge log lines.
   */
  public static String redact(String given) {
    String uri = withoutControlCharacters(given);
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd <= 0 || !SCHEME.matcher(uri.substring(0, schemeEnd)).matches()) {
      return uri;
    }
    int authorityStart = schemeEnd + 3;
    int authorityEnd = firstOf(uri, "/?#", authorityStart);
    StringBuilder out = new StringBuilder(uri.length());
    out.append(uri, 0, authorityStart)
        .append(authority(uri.substring(authorityStart, authorityEnd)));
    String rest = uri.substring(authorityEnd);
    int hash = rest.indexOf('#');
    String beforeFragment = hash < 0 ? rest : rest.substring(0, hash);
    int question = beforeFragment.indexOf('?');
    if (question < 0) {
      out.append(beforeFragment);
    } else {
      out.append(beforeFragment, 0, question + 1)
          .append(query(beforeFragment.substring(question + 1)));
    }
    if (hash >= 0) {
      out.append('#').append(MASK);
    }
    return out.toString();
  }

  /**
   * {@code text} with every URI in it redacted by {@link #redact}: for messages that may quote a
   * URI they did not build (a server's error body, an exception from a library).
   */
  public static String redactUrisIn(String text) {
    if (!text.contains("://")) {
      return text;
    }
    Matcher m = URI_IN_TEXT.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(redact(m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String withoutControlCharacters(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (out == null) {
          out = new StringBuilder(s.length()).append(s, 0, i);
        }
        out.append('?');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  private static String authority(String authority) {
    int at = authority.lastIndexOf('@');
    if (at < 0 || DIGEST.matcher(authority.substring(at + 1)).matches()) {
      return authority;
    }
    return MASK + authority.substring(at);
  }

  private static String query(String query) {
    StringBuilder out = new StringBuilder();
    String[] items = query.split("&", -1);
    for (int i = 0; i < items.length; i++) {
      if (i > 0) {
        out.append('&');
      }
      String item = items[i];
      int eq = item.indexOf('=');
      if (eq >= 0) {
        out.append(item, 0, eq + 1).append(MASK);
      } else if (!item.isEmpty()) {
        out.append(MASK);
      }
    }
    return out.toString();
  }

  private static int firstOf(String s, String chars, int from) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }
}
