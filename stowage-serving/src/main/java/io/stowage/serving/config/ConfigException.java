package io.stowage.serving.config;

import java.util.List;

/** The {@code inferenceservice-config} ConfigMap cannot be used; one line per problem. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
