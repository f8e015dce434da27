package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ProxyJarTest {

  @TempDir Path dir;

  @Test
  void systemPropertyComesFirst() throws IOException {
    Path jar = touch("from-property.jar");
    Properties properties = properties("stowage.s3proxy.jar", jar.toString());
    properties.setProperty("stowage.home", homeWithBundledJar().toString());

    Path found =
        S3ProxyJar.locate(
            properties, Map.of("STOWAGE_S3PROXY_JAR", touch("env.jar").toString()), dir);

    assertThat(found).isEqualTo(jar);
  }

  @Test
  void environmentComesSecond() throws IOException {
    Path jar = touch("env.jar");

    Path found =
        S3ProxyJar.locate(new Properties(), Map.of("STOWAGE_S3PROXY_JAR", jar.toString()), dir);

    assertThat(found).isEqualTo(jar);
  }

  @Test
  void thenTheJarBundledWithAnInstallation() throws IOException {
    Path home = homeWithBundledJar();

    Path found = S3ProxyJar.locate(properties("stowage.home", home.toString()), Map.of(), dir);

    assertThat(found).isEqualTo(home.resolve("lib/quickstart/s3proxy.jar"));
  }

  @Test
  void thenTheLocalMavenRepository() throws IOException {
    Path userHome = dir.resolve("user");
    Path jar =
        userHome.resolve(
            ".m2/repository/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar");
    Files.createDirectories(jar.getParent());
    Files.createFile(jar);

    assertThat(S3ProxyJar.locate(new Properties(), Map.of(), userHome)).isEqualTo(jar);
  }

  @Test
  void explainsHowToGetTheJarWhenNothingHasIt() {
    assertThatThrownBy(() -> S3ProxyJar.locate(new Properties(), Map.of(), dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stowage.s3proxy.jar")
        .hasMessageContaining("STOWAGE_S3PROXY_JAR")
        .hasMessageContaining("org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies");
  }

  @Test
  void anExplicitLocationMustExist() {
    Properties properties =
        properties("stowage.s3proxy.jar", dir.resolve("missing.jar").toString());

    assertThatThrownBy(() -> S3ProxyJar.locate(properties, Map.of(), dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing.jar");
  }

  @Test
  void theBuildPointsTestsAtTheCopiedJar() {
    assertThat(S3ProxyServer.locateJar()).isRegularFile().hasFileName("s3proxy.jar");
  }

  private Path homeWithBundledJar() throws IOException {
    Path home = dir.resolve("home");
    Path jar = home.resolve("lib/quickstart/s3proxy.jar");
    Files.createDirectories(jar.getParent());
    if (!Files.exists(jar)) {
      Files.createFile(jar);
    }
    return home;
  }

  private Path touch(String name) throws IOException {
    return Files.createFile(dir.resolve(name));
  }

  private static Properties properties(String key, String value) {
    Properties properties = new Properties();
    properties.setProperty(key, value);
    return properties;
  }
}
