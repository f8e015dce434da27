package io.stowage.controller;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * fabric8's mock API server in CRUD mode with Stowage's generated CRDs registered, a client for the
 * test and one for the controller (told apart by user agent, so that the controller's API calls can
 * be listed), and the controller running on it.
 */
public final class MockCluster implements AutoCloseable {
  public static final String CONTROLLER_AGENT = "stowage-controller-under-test";
  public static final String CRD_DIR = "META-INF/fabric8/";
  public static final List<String> CRDS =
      List.of(
          "inferenceservices.serving.kserve.io-v1.yml",
          "servingruntimes.serving.kserve.io-v1.yml",
          "clusterservingruntimes.serving.kserve.io-v1.yml",
          "clusterstoragecontainers.serving.kserve.io-v1.yml");

  /** One request as the API server saw it. */
  public record Call(String method, String path, String userAgent) {}

  private final KubernetesMockServer server;
  private final KubernetesClient admin;
  private final KubernetesClient controllerClient;
  private final ConcurrentLinkedQueue<Call> calls;
  private StowageController controller;

  private MockCluster(
      KubernetesMockServer server,
      ConcurrentLinkedQueue<Call> calls,
      KubernetesClient admin,
      KubernetesClient controllerClient,
      StowageController controller) {
    this.server = server;
    this.calls = calls;
    this.admin = admin;
    this.controllerClient = controllerClient;
    this.controller = controller;
  }

  /** Settings of the tests: the mock has no server-side apply; leader election is on. */
  public static ControllerSettings settings(Set<String> namespaces) {
    return new ControllerSettings(
        namespaces,
        "stowage-system",
        false,
        new ControllerSettings.LeaderElection("stowage-system", "test-replica", false),
        4,
        0,
        Duration.ofSeconds(30));
  }

  public static MockCluster start(ControllerSettings settings) throws IOException {
    ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    RbacCheck rbac =
        new RbacCheck(
            Fixtures.deploy(), "stowage-system", "stowage-controller", settings.namespaces());
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new Recording(calls, rbac), false);
    server.init();
    KubernetesClient admin = server.createClient();
    for (String crd : CRDS) {
      admin.apiextensions().v1().customResourceDefinitions().resource(crd(crd)).create();
    }
    KubernetesClient controllerClient =
        server.createClient(b -> b.editOrNewConfig().withUserAgent(CONTROLLER_AGENT).endConfig());
    StowageController controller = StowageController.start(settings, controllerClient);
    return new MockCluster(server, calls, admin, controllerClient, controller);
  }

  public static CustomResourceDefinition crd(String file) {
    try (InputStream in =
        Objects.requireNonNull(
            MockCluster.class.getClassLoader().getResourceAsStream(CRD_DIR + file),
            "generated CRD "
                + file
                + " is not on the classpath: run the build's process-classes")) {
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
          in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient client() {
    return admin;
  }

  public StowageController controller() {
    return controller;
  }

  /** Every request the controller's client made so far. */
  public List<Call> controllerCalls() {
    List<Call> mine = new ArrayList<>();
    for (Call c : calls) {
      if (c.userAgent().startsWith(CONTROLLER_AGENT)) {
        mine.add(c);
      }
    }
    return mine;
  }

  /** Stops the controller; the server keeps running for the test to look at. */
  public void stopController() {
    controller.close();
  }

  @Override
  public void close() {
    controller.close();
    controllerClient.close();
    admin.close();
    server.destroy();
  }

  /** The CRUD dispatcher, noting every request first. */
  private static final class Recording extends KubernetesCrudDispatcher {
    private final ConcurrentLinkedQueue<Call> calls;
    private final RbacCheck rbac;

    Recording(ConcurrentLinkedQueue<Call> calls, RbacCheck rbac) {
      super(List.of());
      this.calls = calls;
      this.rbac = rbac;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      calls.add(
          new Call(
              request.getMethod(),
              request.getPath(),
              Objects.requireNonNullElse(request.getHeader("User-Agent"), "")));
      if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
        return review(request);
      }
      return super.dispatch(request);
    }

    /** The API server's answer to a SelfSubjectRulesReview, from deploy/'s RBAC manifests. */
    private MockResponse review(RecordedRequest request) {
      try {
        com.fasterxml.jackson.databind.node.ObjectNode review =
            (com.fasterxml.jackson.databind.node.ObjectNode)
                io.stowage.serving.api.ServingJson.mapper().readTree(request.getUtf8Body());
        String namespace = review.path("spec").path("namespace").asText();
        com.fasterxml.jackson.databind.node.ObjectNode status = review.putObject("status");
        status.set("resourceRules", rbac.rulesIn(namespace));
        status.putArray("nonResourceRules");
        status.put("incomplete", false);
        return new MockResponse().setResponseCode(201).setBody(review.toString());
      } catch (IOException e) {
        return new MockResponse().setResponseCode(400).setBody(String.valueOf(e.getMessage()));
      }
    }
  }
}
