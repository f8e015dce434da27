package io.stowage.serving.storage;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code restricted} Pod Security Standard, as far as a pod spec shows it: non-root, no
 * privilege escalation, all capabilities dropped (only {@code NET_BIND_SERVICE} added back), a
 * {@code RuntimeDefault} or {@code Localhost} seccomp profile, no privileged containers, host
 * namespaces, host ports or hostPath volumes. Used so that containers Stowage adds keep a pod that
 * passed before passing after.
 */
public final class RestrictedPodSecurity {
  private RestrictedPodSecurity() {}

  /** The reasons {@code pod} violates the profile; empty when it passes. */
  public static List<String> violations(PodSpec pod) {
    List<String> found = new ArrayList<>();
    PodSecurityContext podContext = pod.getSecurityContext();
    if (Boolean.TRUE.equals(pod.getHostNetwork())
        || Boolean.TRUE.equals(pod.getHostPID())
        || Boolean.TRUE.equals(pod.getHostIPC())) {
      found.add("host namespaces");
    }
    for (Volume v : Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of())) {
      if (!allowedVolume(v)) {
        found.add("volume " + v.getName() + " has a restricted type");
      }
    }
    boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
    boolean podSeccomp = podContext != null && goodSeccomp(podContext.getSeccompProfile());
    if (podContext != null && Long.valueOf(0).equals(podContext.getRunAsUser())) {
      found.add("pod runAsUser 0");
    }
    for (Container c : allContainers(pod)) {
      container(c, podNonRoot, podSeccomp, found);
    }
    return found;
  }

  public static boolean passes(PodSpec pod) {
    return violations(pod).isEmpty();
  }

  /**
   * A container security context that passes the profile on a pod that passes it: {@code uid} is
   * the user to run as (null: the image's), root ({@code 0}) drops the non-root demand.
   */
  public static SecurityContext hardened(@Nullable Long uid, PodSpec pod) {
    PodSecurityContext podContext = pod.getSecurityContext();
    boolean podSeccomp = podContext != null && goodSeccomp(podContext.getSeccompProfile());
    SecurityContextBuilder b =
        new SecurityContextBuilder()
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities();
    if (uid == null || uid != 0) {
      b.withRunAsNonRoot(true);
    }
    if (uid != null) {
      b.withRunAsUser(uid);
    }
    if (!podSeccomp) {
      b.withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
    }
    return b.build();
  }

  private static void container(
      Container c, boolean podNonRoot, boolean podSeccomp, List<String> found) {
    SecurityContext s = c.getSecurityContext();
    String name = c.getName();
    if (s == null || !Boolean.FALSE.equals(s.getAllowPrivilegeEscalation())) {
      found.add(name + ": allowPrivilegeEscalation is not false");
    }
    if (s == null || !dropsAll(s.getCapabilities())) {
      found.add(name + ": capabilities.drop lacks ALL");
    }
    if (s != null && addsMore(s.getCapabilities())) {
      found.add(name + ": adds capabilities beyond NET_BIND_SERVICE");
    }
    if (s != null && Boolean.TRUE.equals(s.getPrivileged())) {
      found.add(name + ": privileged");
    }
    boolean nonRoot = (s != null && s.getRunAsNonRoot() != null) ? s.getRunAsNonRoot() : podNonRoot;
    if (!nonRoot) {
      found.add(name + ": runAsNonRoot is not true");
    }
    if (s != null && Long.valueOf(0).equals(s.getRunAsUser())) {
      found.add(name + ": runAsUser 0");
    }
    boolean seccomp =
        (s != null && s.getSeccompProfile() != null)
            ? goodSeccomp(s.getSeccompProfile())
            : podSeccomp;
    if (!seccomp) {
      found.add(name + ": no RuntimeDefault or Localhost seccomp profile");
    }
    for (ContainerPort p : Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of())) {
      if (p.getHostPort() != null && p.getHostPort() != 0) {
        found.add(name + ": hostPort " + p.getHostPort());
      }
    }
  }

  private static List<Container> allContainers(PodSpec pod) {
    List<Container> all = new ArrayList<>();
    all.addAll(Objects.requireNonNullElse(pod.getInitContainers(), List.of()));
    all.addAll(Objects.requireNonNullElse(pod.getContainers(), List.of()));
    return all;
  }

  private static boolean goodSeccomp(@Nullable SeccompProfile profile) {
    return profile != null
        && ("RuntimeDefault".equals(profile.getType()) || "Localhost".equals(profile.getType()));
  }

  private static boolean dropsAll(@Nullable Capabilities caps) {
    return caps != null && caps.getDrop() != null && caps.getDrop().contains("ALL");
  }

  private static boolean addsMore(@Nullable Capabilities caps) {
    return caps != null
        && caps.getAdd() != null
        && caps.getAdd().stream().anyMatch(c -> !c.equals("NET_BIND_SERVICE"));
  }

  private static boolean allowedVolume(Volume v) {
    // The volume types the profile forbids: everything that reaches the node or a remote
    // filesystem directly. Checked by getter: this runs for every planned pod.
    return v.getHostPath() == null
        && v.getGcePersistentDisk() == null
        && v.getAwsElasticBlockStore() == null
        && v.getGitRepo() == null
        && v.getNfs() == null
        && v.getIscsi() == null
        && v.getGlusterfs() == null
        && v.getRbd() == null
        && v.getFlexVolume() == null
        && v.getCinder() == null
        && v.getCephfs() == null
        && v.getFlocker() == null
        && v.getFc() == null
        && v.getAzureFile() == null
        && v.getVsphereVolume() == null
        && v.getQuobyte() == null
        && v.getAzureDisk() == null
        && v.getPortworxVolume() == null
        && v.getScaleIO() == null
        && v.getStorageos() == null
        && v.getPhotonPersistentDisk() == null;
  }
}
