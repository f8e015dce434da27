package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a small model directory laid out like a Hugging Face LLM checkpoint: config, tokenizer
 * files, a safetensors index and sharded {@code model-0000i-of-0000N.safetensors} files.
 *
 * <p>The shards are valid safetensors files (one U8 tensor each) filled with seeded pseudo-random
 * bytes, so the same arguments always give byte-identical files and checksums can be asserted. The
 * model is shaped like an LLM, not loadable as one. Every file is non-empty.
 */
public final class SampleModel {

  private static final int BUFFER_SIZE = 1024 * 1024;
  private static final int MAX_SHARDS = 99_999;

  private static final String GENERATION_CONFIG =
      """
      {
        "bos_token_id": 1,
        "eos_token_id": 2,
        "do_sample": false,
        "max_new_tokens": 16
      }
      """;

  private static final String TOKENIZER =
      """
      {
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": [
          {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true},
          {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true},
          {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false,
           "normalized": false, "special": true}
        ],
        "normalizer": null,
        "pre_tokenizer": null,
        "post_processor": null,
        "decoder": null,
        "model": {
          "type": "BPE",
          "dropout": null,
          "unk_token": "<unk>",
          "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "a": 3, "b": 4, "c": 5, "ab": 6, "abc": 7},
          "merges": ["a b", "ab c"]
        }
      }
      """;

  private static final String TOKENIZER_CONFIG =
      """
      {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "model_max_length": 128,
        "tokenizer_class": "PreTrainedTokenizerFast"
      }
      """;

  private static final String SPECIAL_TOKENS_MAP =
      """
      {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>"
      }
      """;

  private SampleModel() {}

  /**
   * Writes the model into {@code dir} (created if needed, files overwritten).
   *
   * @param shardBytes exact size of each shard file, header included
   * @param shards number of shard files, at least 1
   * @param seed fixes the shard contents
   * @return the paths written, relative to {@code dir}: metadata files first, then the shards
   */
  public static List<Path> write(Path dir, long shardBytes, int shards, long seed) {
    if (shards < 1 || shards > MAX_SHARDS) {
      throw new IllegalArgumentException("shards must be 1.." + MAX_SHARDS + ", got " + shards);
    }
    SafetensorsShard.requireRoom(shardBytes);
    try {
      Files.createDirectories(dir);
      List<Path> written = new ArrayList<>();
      written.add(writeText(dir, "config.json", config(shards)));
      written.add(writeText(dir, "generation_config.json", GENERATION_CONFIG));
      written.add(writeText(dir, "tokenizer.json", TOKENIZER));
      written.add(writeText(dir, "tokenizer_config.json", TOKENIZER_CONFIG));
      written.add(writeText(dir, "special_tokens_map.json", SPECIAL_TOKENS_MAP));
      written.add(writeText(dir, "model.safetensors.index.json", index(shardBytes, shards)));
      SplittableRandom seeds = new SplittableRandom(seed);
      for (int shard = 1; shard <= shards; shard++) {
        Path file = Path.of(shardName(shard, shards));
        writeShard(dir.resolve(file), tensorName(shard), shardBytes, seeds.split());
        written.add(file);
      }
      return List.copyOf(written);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sample model to " + dir, e);
    }
  }

  /**
   * The file name of shard {@code shard} (1-based) of {@code shards}, as transformers names them.
   */
  public static String shardName(int shard, int shards) {
    return String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", shard, shards);
  }

  private static String tensorName(int shard) {
    return "model.layers." + (shard - 1) + ".mlp.weight";
  }

  private static Path writeText(Path dir, String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    return Path.of(name);
  }

  private static void writeShard(Path file, String tensor, long shardBytes, SplittableRandom random)
      throws IOException {
    SafetensorsShard shard = SafetensorsShard.of(tensor, shardBytes);
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(channel, shard.header());
      ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      for (long remaining = shard.dataBytes(); remaining > 0; ) {
        int length = (int) Math.min(BUFFER_SIZE, remaining);
        fillRandom(buffer, length, random);
        writeFully(channel, buffer);
        remaining -= length;
      }
    }
  }

  /** Eight bytes per call to the generator: fast enough to write hundreds of MiB per second. */
  private static void fillRandom(ByteBuffer buffer, int length, SplittableRandom random) {
    buffer.clear();
    int longs = length / Long.BYTES;
    for (int i = 0; i < longs; i++) {
      buffer.putLong(random.nextLong());
    }
    long tail = random.nextLong();
    for (int i = longs * Long.BYTES; i < length; i++, tail >>>= 8) {
      buffer.put((byte) tail);
    }
    buffer.flip();
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static String config(int layers) {
    return """
    {
      "architectures": ["LlamaForCausalLM"],
      "model_type": "llama",
      "hidden_size": 64,
      "intermediate_size": 128,
      "num_attention_heads": 4,
      "num_key_value_heads": 4,
      "num_hidden_layers": %d,
      "vocab_size": 8,
      "max_position_embeddings": 128,
      "rms_norm_eps": 1e-05,
      "bos_token_id": 1,
      "eos_token_id": 2,
      "torch_dtype": "bfloat16",
      "transformers_version": "4.46.0"
    }
    """
        .formatted(layers);
  }

  private static String index(long shardBytes, int shards) {
    StringBuilder weightMap = new StringBuilder();
    // Tensor names differ in length, and so the data size of each shard differs a little.
    long totalSize = 0;
    for (int shard = 1; shard <= shards; shard++) {
      totalSize += SafetensorsShard.of(tensorName(shard), shardBytes).dataBytes();
      weightMap
          .append(shard == 1 ? "\n" : ",\n")
          .append("    \"")
          .append(tensorName(shard))
          .append("\": \"")
          .append(shardName(shard, shards))
          .append('"');
    }
    return "{\n  \"metadata\": {\"total_size\": "
        + totalSize
        + "},\n  \"weight_map\": {"
        + weightMap
        + "\n  }\n}\n";
  }
}
