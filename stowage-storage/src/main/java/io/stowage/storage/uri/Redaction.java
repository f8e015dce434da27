package io.stowage.storage.uri;

/** Removes what must never be printed from a URI: user info and query strings (tokens, SAS). */
public final class Redaction {
  private Redaction() {}

  /** The URI without {@code user:password@} and without the query string. */
  public static String redact(String uri) {
    String out = uri;
    int schemeEnd = out.indexOf("://");
    if (schemeEnd >= 0) {
      int authorityStart = schemeEnd + 3;
      int authorityEnd = out.indexOf('/', authorityStart);
      String authority =
          authorityEnd < 0
              ? out.substring(authorityStart)
              : out.substring(authorityStart, authorityEnd);
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        out = out.substring(0, authorityStart) + "***@" + out.substring(authorityStart + at + 1);
      }
    }
    int query = out.indexOf('?');
    return query < 0 ? out : out.substring(0, query) + "?***";
  }
}
