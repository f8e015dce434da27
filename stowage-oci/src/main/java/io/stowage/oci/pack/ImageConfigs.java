package io.stowage.oci.pack;

import io.stowage.oci.Digest;
import io.stowage.oci.Json;
import io.stowage.oci.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image config of a packed image: the base's config (environment, entrypoint, ...) with the
 * model layers' diff IDs and a history entry per layer appended, or a minimal one without a base.
 * No timestamps of our own, so that the config, and the image digest, depend on the content only.
 */
final class ImageConfigs {
  private ImageConfigs() {}

  static byte[] build(
      Map<String, Object> baseConfig, Platform platform, List<Digest> modelDiffIds) {
    Map<String, Object> config = new LinkedHashMap<>(baseConfig);
    if (baseConfig.isEmpty()) {
      config.put("architecture", platform.architecture());
      config.put("os", platform.os());
      if (!platform.variant().isEmpty()) {
        config.put("variant", platform.variant());
      }
      Map<String, Object> runtime = new LinkedHashMap<>();
      runtime.put(
          "Env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
      config.put("config", runtime);
    }
    Map<String, Object> rootfs =
        new LinkedHashMap<>(Json.object(baseConfig, "rootfs").orElse(Map.of()));
    List<Object> diffIds = new ArrayList<>();
    if (rootfs.get("diff_ids") instanceof List<?> existing) {
      diffIds.addAll(existing);
    }
    modelDiffIds.forEach(d -> diffIds.add(d.toString()));
    rootfs.put("type", "layers");
    rootfs.put("diff_ids", diffIds);
    config.put("rootfs", rootfs);
    List<Object> history = new ArrayList<>();
    if (baseConfig.get("history") instanceof List<?> existing) {
      history.addAll(existing);
    }
    for (int i = 0; i < modelDiffIds.size(); i++) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("created_by", "stowage pack: model layer " + (i + 1) + " of " + modelDiffIds.size());
      h.put("comment", "files under /models");
      history.add(h);
    }
    config.put("history", history);
    return Json.write(config);
  }
}
