package io.stowage.storage.uri;

import io.stowage.common.UriRedaction;
import io.stowage.storage.StorageException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code hf://owner/model[:revision]}: a Hugging Face model repository at a branch, tag or commit
 * ({@code main} when none is given).
 */
public record HuggingFaceUri(String owner, String model, Optional<String> revision)
    implements StorageUri {
  static final String SCHEME = "hf://";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public HuggingFaceUri {
    if (!NAME.matcher(owner).matches() || !NAME.matcher(model).matches()) {
      throw StorageException.usage(
          "Invalid Hugging Face URI format. Expected 'hf://owner/model[:revision]', got "
              + UriRedaction.redact(SCHEME + owner + "/" + model));
    }
    if (revision.isPresent() && revision.get().isBlank()) {
      throw StorageException.usage("Invalid Hugging Face URI format: empty revision after ':'");
    }
  }

  static HuggingFaceUri parse(String uri) {
    String rest = uri.substring(SCHEME.length());
    String revision = null;
    int colon = rest.indexOf(':');
    if (colon >= 0) {
      revision = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String[] parts = rest.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw StorageException.usage(
          "Invalid Hugging Face URI format. Expected 'hf://owner/model[:revision]', got "
              + UriRedaction.redact(uri));
    }
    return new HuggingFaceUri(parts[0], parts[1], Optional.ofNullable(revision));
  }

  public String repoId() {
    return owner + "/" + model;
  }

  /** The revision to resolve: the one given, or {@code main}. */
  public String revisionOrDefault() {
    return revision.orElse("main");
  }

  @Override
  public String display() {
    return UriRedaction.redact(SCHEME + repoId() + revision.map(r -> ":" + r).orElse(""));
  }

  @Override
  public String toString() {
    return display();
  }
}
