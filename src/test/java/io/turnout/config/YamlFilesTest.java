package io.turnout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** YamlFiles.parse: safe YAML to JSON, strict about duplicates, timestamps left to their owners. */
class YamlFilesTest {

  private static final String FILE = "conf/turnout.yaml";

  private static ConfigException fails(String text) {
    return assertThrows(ConfigException.class, () -> YamlFiles.parse(FILE, text));
  }

  @Test
  void givenNestedYaml_whenParsed_thenSameStructureAsJson() {
    JsonObject json = YamlFiles.parse(FILE, """
        http:
          port: 8080
          host: "0.0.0.0"
        providers:
          primary:
            base_url: http://localhost:1/primary
            stream_usage: false
            ratio: 0.25
            tags: [a, b]
            nothing: ~
        """);

    JsonObject expected = new JsonObject()
        .put("http", new JsonObject().put("port", 8080).put("host", "0.0.0.0"))
        .put("providers", new JsonObject().put("primary", new JsonObject()
            .put("base_url", "http://localhost:1/primary")
            .put("stream_usage", false)
            .put("ratio", 0.25)
            .put("tags", new JsonArray().add("a").add("b"))
            .putNull("nothing")));
    assertEquals(expected, json);
  }

  @Test
  void givenDuplicateKey_whenParsed_thenRejectedWithLine() {
    ConfigException e = fails("""
        providers:
          primary:
            base_url: http://a
            base_url: http://b
        """);

    assertEquals(FILE, e.file());
    assertTrue(e.reason().contains("duplicate key"), e.reason());
    assertTrue(e.reason().contains("base_url"), e.reason());
    assertTrue(e.reason().contains("line 4"), e.reason());
  }

  @Test
  void givenDuplicateTopLevelKey_whenParsed_thenRejected() {
    assertTrue(fails("aliases: {}\naliases: {}\n").reason().contains("duplicate key aliases"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"2026-01-01T00:00:00Z", "2026-01-01", "2026-01-01 10:00:00", "2026-01-01T10:00:00.5+02:00"})
  void givenTimestampLikeValue_whenParsed_thenItStaysAString(String value) {
    JsonObject json = YamlFiles.parse(FILE, "expires_at: " + value + "\n");

    assertEquals(value, json.getValue("expires_at"));
  }

  @Test
  void givenInvalidYaml_whenParsed_thenNotValidYamlWithLine() {
    ConfigException e = fails("a: [1, 2\nb: 3\n");

    assertEquals("", e.path());
    assertTrue(e.reason().startsWith("not valid YAML"), e.reason());
    assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"- a\n- b\n", "just text\n", "42\n"})
  void givenNonMappingTopLevel_whenParsed_thenRejected(String text) {
    assertEquals("the top level must be a mapping", fails(text).reason());
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "\n", "# only a comment\n", "---\n"})
  void givenEmptyDocument_whenParsed_thenEmptyObject(String text) {
    assertEquals(new JsonObject(), YamlFiles.parse(FILE, text));
  }

  @Test
  void givenNonStringKey_whenParsed_thenPathOfItsParentIsNamed() {
    ConfigException e = fails("providers:\n  1: {}\n");

    assertEquals("providers", e.path());
    assertTrue(e.reason().contains("keys must be strings"), e.reason());
  }

  @Test
  void givenArbitraryJavaTypeTag_whenParsed_thenRejectedAsUnsafe() {
    ConfigException e = fails("x: !!java.io.File [/etc/passwd]\n");

    assertTrue(e.reason().startsWith("not valid YAML"), e.reason());
  }

  @Test
  void givenBinaryValueInAList_whenParsed_thenUnsupportedTypeAtItsPath() {
    ConfigException e = fails("a:\n  b:\n    - ok\n    - !!binary aGVsbG8=\n");

    assertEquals("a.b[1]", e.path());
    assertTrue(e.reason().contains("unsupported value type"), e.reason());
  }

  @Test
  void givenIntegerBeyondLongRange_whenParsed_thenRejectedInsteadOfWrapped() {
    // 2^64 + 8080: a silent wrap would read as port 8080.
    ConfigException e = fails("http:\n  port: 18446744073709559696\n");

    assertEquals("http.port", e.path());
  }

  @Test
  void givenLargeButValidLong_whenParsed_thenKeptExactly() {
    assertEquals(9_007_199_254_740_993L, YamlFiles.parse(FILE, "n: 9007199254740993\n").getLong("n"));
  }

  @Test
  void givenAliasBomb_whenParsed_thenRejected() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }

    assertTrue(fails(yaml.toString()).reason().startsWith("not valid YAML"));
  }
}
