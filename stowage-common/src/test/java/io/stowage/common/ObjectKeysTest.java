package io.stowage.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"", "m", "models/qwen", "models/qwen/", "a.b/..c/d..", "v1.0/model.safetensors"})
  void keysWhoseSegmentsAreNames(String key) {
    assertThat(ObjectKeys.problem(key)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/x", "a//b", "a/../b", "..", "../x", "a/./b", ".", "a/..", "a//", "//"})
  void keysThatMeanOneThingToAStoreAndAnotherToAFileSystem(String key) {
    assertThat(ObjectKeys.problem(key)).isNotNull();
  }
}
