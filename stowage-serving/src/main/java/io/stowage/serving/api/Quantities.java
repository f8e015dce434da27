package io.stowage.serving.api;

import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 100m}, {@code 4Gi}, {@code 1e3}): the grammar of
 * apimachinery's {@code resource.ParseQuantity}, so that a value the API server would reject is
 * reported before anything is applied.
 */
public final class Quantities {
  private static final Pattern QUANTITY =
      Pattern.compile(
          "[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?");

  private Quantities() {}

  /** True when {@code text} is a quantity the API server accepts. */
  public static boolean isValid(String text) {
    return QUANTITY.matcher(text).matches();
  }
}
