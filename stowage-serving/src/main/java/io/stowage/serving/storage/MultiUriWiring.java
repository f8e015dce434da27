package io.stowage.serving.storage;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.stowage.serving.api.ClusterStorageContainer;
import io.stowage.serving.api.StorageUriSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code predictor.storageUris} (reference §1.6), which KServe's controller itself writes into the
 * Deployment: one PVC volume per PVC entry, mounted whole at its path (the URI's path part is
 * ignored, as in KServe); one storage-initializer for all other entries, into one emptyDir at their
 * common parent.
 */
public final class MultiUriWiring {
  private MultiUriWiring() {}

  public static void wire(PodSpec pod, List<StorageUriSpec> entries, WiringContext ctx) {
    List<Container> targets = PodEdits.modelContainers(pod);
    if (targets.isEmpty() || entries.isEmpty()) {
      if (targets.isEmpty()) {
        ctx.errors().add("spec.predictor", "Invalid configuration: cannot find container");
      }
      return;
    }
    if (!ctx.policy().initializer()) {
      ctx.errors()
          .add(
              StorageAnnotations.field(StorageAnnotations.INITIALIZER),
              "disabled supports one storageUri, not storageUris");
      return;
    }
    Optional<ClusterStorageContainer> sc = ctx.storageContainer(entries.get(0).uriOrEmpty());
    if (sc.isPresent() && !Boolean.TRUE.equals(sc.get().spec().supportsMultiModelDownload())) {
      ctx.errors()
          .add(
              "spec.predictor.storageUris",
              "storage container \""
                  + sc.get().name()
                  + "\" does not support multi-model download; use the default kserve storage"
                  + " initializer or a compatible storage container");
      return;
    }
    boolean restricted = RestrictedPodSecurity.passes(pod);
    List<String> args = new ArrayList<>();
    List<String> downloadPaths = new ArrayList<>();
    for (StorageUriSpec entry : entries) {
      String path = entry.mountPathOrDefault();
      if (ModelUri.isPvc(entry.uriOrEmpty())) {
        pvcEntry(pod, entry, path, targets, ctx);
      } else {
        args.add(entry.uriOrEmpty());
        args.add(path);
        downloadPaths.add(path);
      }
    }
    if (downloadPaths.isEmpty()) {
      return;
    }
    String parent = commonParent(downloadPaths);
    String volume = volumeName(parent);
    PodEdits.addVolumeIfAbsent(pod, ctx.policy().target().volume(volume));
    for (Container t : targets) {
      PodEdits.addMount(t, PodEdits.mount(volume, parent, ctx.readOnlyModel(), null));
    }
    StorageInitializerContainer.add(
        pod,
        args,
        List.of(StorageWiring.writable(volume, parent)),
        sc,
        ctx.credentials().get(),
        ctx);
    if (restricted) {
      Hardening.harden(pod, StorageWiring.INIT_CONTAINER, null, ctx);
    }
  }

  private static void pvcEntry(
      PodSpec pod, StorageUriSpec entry, String path, List<Container> targets, WiringContext ctx) {
    String claim = entry.uriOrEmpty().substring("pvc://".length());
    int slash = claim.indexOf('/');
    if (slash >= 0) {
      claim = claim.substring(0, slash);
    }
    String volume = volumeName(path);
    PodEdits.addVolumeIfAbsent(
        pod,
        new VolumeBuilder()
            .withName(volume)
            .withNewPersistentVolumeClaim()
            .withClaimName(claim)
            .endPersistentVolumeClaim()
            .build());
    for (Container t : targets) {
      PodEdits.addMount(t, PodEdits.mount(volume, path, ctx.readOnlyModel(), null));
    }
  }

  /** {@code /mnt/data} gives {@code mnt-data}. */
  public static String volumeName(String mountPath) {
    return mountPath.replaceAll("^/+", "").replaceAll("/+$", "").replace('/', '-');
  }

  /** The longest common directory of absolute paths; a single path is its own parent. */
  public static String commonParent(List<String> paths) {
    List<String> common = null;
    for (String p : paths) {
      List<String> segments = segments(p);
      if (common == null) {
        common = segments;
        continue;
      }
      int n = 0;
      while (n < common.size() && n < segments.size() && common.get(n).equals(segments.get(n))) {
        n++;
      }
      common = common.subList(0, n);
    }
    return common == null || common.isEmpty() ? "/" : "/" + String.join("/", common);
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
