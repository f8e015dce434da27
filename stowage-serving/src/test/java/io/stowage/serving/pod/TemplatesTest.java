package io.stowage.serving.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Go template subset, against Go's own results for the same data. */
class TemplatesTest {
  static final Map<String, Object> DATA =
      Map.of(
          "Name",
          "qwen",
          "Namespace",
          "ns",
          "Labels",
          Map.of("tier", "gold"),
          "Annotations",
          Map.of("aml-model-repo", "Qwen2.5", "a.b/c", "x"));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{{.Name}}|qwen",
        "{{ .Namespace }}/{{.Name}}|ns/qwen",
        "{{.Labels.tier}}|gold",
        "{{.Labels.none}}|<no value>",
        "{{ index .Annotations \"aml-model-repo\" }}|Qwen2.5",
        "{{index .Annotations \"a.b/c\"}}|x",
        "{{ index .Labels \"none\" }}|''",
        "a {{- .Name -}} b|aqwenb",
        "no template|no template",
        "$$(ls) {{.Name}}|$$(ls) qwen"
      })
  void rendersLikeGo(String template, String expected) throws Exception {
    assertThat(Templates.render(template, DATA)).isEqualTo(expected.equals("''") ? "" : expected);
  }

  /**
   * KServe renders a runtime's container with html/template, whose escaper drops a missing value
   * that text/template prints as {@code <no value>} (seen from KServe v0.20.0 itself:
   * KServeDifferentialIT, case runtime-auto-select-templates).
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{{.Labels.none}}|''",
        "--missing={{ .Annotations.none }}|--missing=",
        "{{.Labels.tier}}-{{ index .Labels \"none\" }}|gold-",
        "{{ .Namespace }}/{{.Name}}|ns/qwen"
      })
  void containerFieldsRenderAMissingKeyAsNothingLikeKservesHtmlTemplate(
      String template, String expected) throws Exception {
    assertThat(Templates.renderContainerField(template, DATA))
        .isEqualTo(expected.equals("''") ? "" : expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{{.Nope}}", "{{ printf \"%s\" .Name }}", "{{.Name", "{{ .Name.x }}"})
  void rejectsWhatGoCannotExecute(String template) {
    assertThatThrownBy(() -> Templates.render(template, DATA))
        .isInstanceOf(Templates.TemplateException.class);
  }
}
