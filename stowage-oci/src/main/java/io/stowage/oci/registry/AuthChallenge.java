package io.stowage.oci.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} challenge: {@code Bearer realm="...",service="...",scope="..."} or
 * {@code Basic realm="..."} (RFC 7235 auth-params, quoted strings with backslash escapes).
 */
public record AuthChallenge(String scheme, Map<String, String> params) {

  public AuthChallenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    params = Map.copyOf(params);
  }

  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  public boolean isBasic() {
    return scheme.equals("basic");
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  /** Parses every challenge in the header values; unparsable parts are skipped. */
  public static List<AuthChallenge> parse(List<String> headerValues) {
    List<AuthChallenge> out = new ArrayList<>();
    for (String value : headerValues) {
      parseOne(value, out);
    }
    return out;
  }

  private static void parseOne(String s, List<AuthChallenge> out) {
    int i = 0;
    int n = s.length();
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    while (i < n) {
      while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
        i++;
      }
      int start = i;
      while (i < n && isToken(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        i++;
        continue;
      }
      String token = s.substring(start, i);
      int j = i;
      while (j < n && s.charAt(j) == ' ') {
        j++;
      }
      if (j < n && s.charAt(j) == '=' && scheme != null) {
        j++;
        while (j < n && s.charAt(j) == ' ') {
          j++;
        }
        StringBuilder v = new StringBuilder();
        if (j < n && s.charAt(j) == '"') {
          j++;
          while (j < n && s.charAt(j) != '"') {
            if (s.charAt(j) == '\\' && j + 1 < n) {
              j++;
            }
            v.append(s.charAt(j++));
          }
          j++;
        } else {
          while (j < n && s.charAt(j) != ',' && s.charAt(j) != ' ') {
            v.append(s.charAt(j++));
          }
        }
        params.put(token.toLowerCase(Locale.ROOT), v.toString());
        i = j;
      } else {
        if (scheme != null) {
          out.add(new AuthChallenge(scheme, params));
          params = new LinkedHashMap<>();
        }
        scheme = token;
        i = j;
      }
    }
    if (scheme != null) {
      out.add(new AuthChallenge(scheme, params));
    }
  }

  private static boolean isToken(char c) {
    return c > ' ' && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
  }
}
