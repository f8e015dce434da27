package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleModelTest {

  private static final Pattern DATA_OFFSETS = Pattern.compile("\"data_offsets\":\\[0,(\\d+)]");

  @TempDir Path dir;

  @Test
  void writesAHuggingFaceShapedDirectory() throws IOException {
    List<Path> written = SampleModel.write(dir.resolve("model"), 5_000, 3, 7);

    assertThat(written)
        .containsExactly(
            Path.of("config.json"),
            Path.of("generation_config.json"),
            Path.of("tokenizer.json"),
            Path.of("tokenizer_config.json"),
            Path.of("special_tokens_map.json"),
            Path.of("model.safetensors.index.json"),
            Path.of("model-00001-of-00003.safetensors"),
            Path.of("model-00002-of-00003.safetensors"),
            Path.of("model-00003-of-00003.safetensors"));
    for (Path file : written) {
      assertThat(Files.size(dir.resolve("model").resolve(file))).as(file.toString()).isPositive();
    }
  }

  @Test
  void shardsAreValidSafetensorsOfTheExactSize() throws IOException {
    SampleModel.write(dir, 4_096, 2, 1);

    long totalData = 0;
    for (int shard = 1; shard <= 2; shard++) {
      byte[] file = Files.readAllBytes(dir.resolve(SampleModel.shardName(shard, 2)));
      long headerLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      String header = new String(file, 8, (int) headerLength, StandardCharsets.UTF_8);
      Matcher offsets = DATA_OFFSETS.matcher(header);

      assertThat(file).hasSize(4_096);
      assertThat(offsets.find()).as(header).isTrue();
      long dataBytes = Long.parseLong(offsets.group(1));
      assertThat(8 + headerLength + dataBytes).isEqualTo(4_096);
      totalData += dataBytes;
    }
    String index = Files.readString(dir.resolve("model.safetensors.index.json"));
    assertThat(index)
        .contains("\"total_size\": " + totalData)
        .contains("\"model-00001-of-00002.safetensors\"")
        .contains("\"model-00002-of-00002.safetensors\"");
  }

  @Test
  void theSeedFixesTheContent() throws IOException {
    SampleModel.write(dir.resolve("a"), 3 * 1024 * 1024 + 5, 2, 42);
    SampleModel.write(dir.resolve("b"), 3 * 1024 * 1024 + 5, 2, 42);
    SampleModel.write(dir.resolve("c"), 3 * 1024 * 1024 + 5, 2, 43);

    String shard = SampleModel.shardName(2, 2);
    byte[] a = Files.readAllBytes(dir.resolve("a").resolve(shard));
    assertThat(a).isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(shard)));
    assertThat(Arrays.equals(a, Files.readAllBytes(dir.resolve("c").resolve(shard)))).isFalse();
    assertThat(
            Arrays.equals(
                a, Files.readAllBytes(dir.resolve("a").resolve(SampleModel.shardName(1, 2)))))
        .isFalse();
  }

  @Test
  void rejectsShardsTooSmallForAHeader() {
    assertThatThrownBy(() -> SampleModel.write(dir, 100, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SampleModel.write(dir, 4_096, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
