package io.stowage.cli;

import io.stowage.common.UriRedaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Makes anything about to be printed safe, in case a message ever carries a secret: the known
 * secret values are replaced, and every URI in the text loses its user-info, query values and
 * fragment ({@link UriRedaction}), whoever built the message.
 */
public final class Redactor {
  private static final int MIN_SECRET_LENGTH = 4;

  private final List<String> secrets;

  public Redactor(Collection<String> secrets) {
    List<String> s = new ArrayList<>();
    for (String secret : secrets) {
      if (secret.length() >= MIN_SECRET_LENGTH) {
        s.add(secret);
      }
    }
    // Longest first, so that a secret containing another is replaced whole.
    s.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(s);
  }

  public static Redactor none() {
    return new Redactor(List.of());
  }

  public String apply(String text) {
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, UriRedaction.MASK);
    }
    return UriRedaction.redactUrisIn(out);
  }
}
