package io.stowage.storage.hf;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach the Hugging Face Hub.
 *
 * @param endpoint {@code HF_ENDPOINT}, default {@code https://huggingface.co} (mirrors set it)
 * @param token {@code HF_TOKEN}, for private and gated repositories
 */
public record HuggingFaceSettings(URI endpoint, Optional<String> token) {
  public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

  @Override
  public String toString() {
    return "HuggingFaceSettings[endpoint="
        + endpoint
        + ", token="
        + (token.isPresent() ? "***" : "none")
        + "]";
  }
}
