package io.stowage.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Finds the S3Proxy fat jar. It is run as a separate process and never put on a classpath: it
 * bundles its own Jetty, Jackson 3 and AWS SDK, which would clash with ours.
 */
final class S3ProxyJar {

  static final String VERSION = "4.1.0";
  static final String PROPERTY = "stowage.s3proxy.jar";
  static final String ENV = "STOWAGE_S3PROXY_JAR";
  static final String HOME_PROPERTY = "stowage.home";

  private S3ProxyJar() {}

  /** Looks in the documented places, in order, and explains how to get the jar if none has it. */
  static Path locate(Properties systemProperties, Map<String, String> env, Path userHome) {
    Path explicit = explicitLocation(systemProperties, env);
    if (explicit != null) {
      return explicit;
    }
    String home = systemProperties.getProperty(HOME_PROPERTY);
    if (home != null && !home.isBlank()) {
      Path bundled = Path.of(home, "lib", "quickstart", "s3proxy.jar");
      if (Files.isRegularFile(bundled)) {
        return bundled;
      }
    }
    Path inLocalRepository =
        userHome.resolve(
            Path.of(
                ".m2",
                "repository",
                "org",
                "gaul",
                "s3proxy",
                VERSION,
                "s3proxy-" + VERSION + "-jar-with-dependencies.jar"));
    if (Files.isRegularFile(inLocalRepository)) {
      return inLocalRepository;
    }
    throw new IllegalStateException(
        "cannot find the S3Proxy "
            + VERSION
            + " jar. Set -D"
            + PROPERTY
            + "=<path> or "
            + ENV
            + "=<path>, or fetch it into the local Maven repository with: "
            + "./mvnw org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get"
            + " -Dartifact=org.gaul:s3proxy:"
            + VERSION
            + ":jar:jar-with-dependencies");
  }

  /**
   * A location someone set on purpose must exist: silently falling back to another jar would hide a
   * broken build or installation.
   */
  private static @Nullable Path explicitLocation(
      Properties systemProperties, Map<String, String> env) {
    String fromProperty = systemProperties.getProperty(PROPERTY);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return mustExist(Path.of(fromProperty), "system property " + PROPERTY);
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return mustExist(Path.of(fromEnv), "environment variable " + ENV);
    }
    return null;
  }

  private static Path mustExist(Path jar, String source) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(source + " points to " + jar + ", which is not a file");
    }
    return jar;
  }
}
