package io.stowage.serving.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The {@code ingress} section: what the InferenceService's URL is made of. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngressConfig(
    String ingressDomain,
    String domainTemplate,
    String urlScheme,
    String ingressClassName,
    Boolean disableIngressCreation) {
  public static final String DEFAULT_DOMAIN_TEMPLATE =
      "{{ .Name }}-{{ .Namespace }}.{{ .IngressDomain }}";

  public static final IngressConfig FRESH_INSTALL =
      new IngressConfig("example.com", DEFAULT_DOMAIN_TEMPLATE, "http", "istio", false);

  public IngressConfig {
    ingressDomain =
        ingressDomain == null || ingressDomain.isEmpty() ? "example.com" : ingressDomain;
    domainTemplate =
        domainTemplate == null || domainTemplate.isEmpty()
            ? DEFAULT_DOMAIN_TEMPLATE
            : domainTemplate;
    urlScheme = urlScheme == null || urlScheme.isEmpty() ? "http" : urlScheme;
    ingressClassName =
        ingressClassName == null || ingressClassName.isEmpty() ? "istio" : ingressClassName;
    disableIngressCreation = disableIngressCreation != null && disableIngressCreation;
  }
}
