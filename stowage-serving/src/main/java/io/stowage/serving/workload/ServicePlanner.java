package io.stowage.serving.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.config.InferenceServiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The predictor Service (reference §4.2): the first container's first port as port 80, its other
 * ports 1:1; {@code <name>-predictor} 80 → 8080 when the container declares none.
 */
public final class ServicePlanner {
  static final int SERVICE_PORT = 80;

  private ServicePlanner() {}

  public static Service plan(
      InferenceService isvc, PodSpec pod, ComponentMeta meta, InferenceServiceConfig config) {
    List<Container> containers = Objects.requireNonNullElse(pod.getContainers(), List.of());
    List<ServicePort> ports =
        containers.isEmpty() ? defaultPorts(isvc) : ports(containers.get(0), isvc);
    ServiceBuilder b =
        new ServiceBuilder()
            .withMetadata(DeploymentPlanner.objectMeta(isvc, meta))
            .withNewSpec()
            .addToSelector(Names.APP_LABEL, Names.appLabel(isvc.name()))
            .withPorts(ports)
            .endSpec();
    Service service = b.build();
    if (config.service().serviceClusterIPNone()) {
      service.getSpec().setClusterIP("None");
    }
    return service;
  }

  /** The port a client reaches: the Service's target port for the address URL of a headless one. */
  public static int targetPort(Service service) {
    ServicePort first = service.getSpec().getPorts().get(0);
    IntOrString target = first.getTargetPort();
    return target != null && target.getIntVal() != null ? target.getIntVal() : SERVICE_PORT;
  }

  private static List<ServicePort> ports(Container c, InferenceService isvc) {
    List<ContainerPort> declared = Objects.requireNonNullElse(c.getPorts(), List.of());
    if (declared.isEmpty()) {
      return defaultPorts(isvc);
    }
    List<ServicePort> ports = new ArrayList<>();
    for (int i = 0; i < declared.size(); i++) {
      ContainerPort p = declared.get(i);
      String name = Objects.requireNonNullElse(p.getName(), "");
      ServicePortBuilder b =
          new ServicePortBuilder()
              .withName(name.isEmpty() ? null : name)
              .withPort(i == 0 ? SERVICE_PORT : p.getContainerPort())
              .withTargetPort(new IntOrString(p.getContainerPort()))
              .withProtocol(Objects.requireNonNullElse(p.getProtocol(), "TCP"));
      if (i == 0 && (name.contains("grpc") || name.contains("h2c"))) {
        b.withAppProtocol("kubernetes.io/h2c");
      }
      ports.add(b.build());
    }
    return ports;
  }

  private static List<ServicePort> defaultPorts(InferenceService isvc) {
    return List.of(
        new ServicePortBuilder()
            .withName(Names.predictor(isvc.name()))
            .withPort(SERVICE_PORT)
            .withTargetPort(new IntOrString(DeploymentPlanner.DEFAULT_PORT))
            .withProtocol("TCP")
            .build());
  }
}
