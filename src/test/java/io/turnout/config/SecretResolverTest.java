package io.turnout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SecretResolver: only ${ENV} and file: references, errors that name the field but never a value. */
class SecretResolverTest {

  private static final String FILE = "conf/turnout.yaml";

  @TempDir
  Path confDir;

  private ConfigNode auth(String key) {
    return new ConfigNode(FILE, "providers.primary.auth", new JsonObject().put("key", key));
  }

  @Test
  void givenEnvReference_whenResolved_thenTheVariableValueTrimmed() {
    SecretResolver secrets = new SecretResolver(Map.of("COMET_KEY", "  sk-comet-123\n"), confDir);

    assertEquals("sk-comet-123", secrets.resolve(auth("${COMET_KEY}"), "key"));
  }

  @Test
  void givenEnvReferenceToMissingVariable_whenResolved_thenErrorNamesVariableAndFieldWithoutAnyValue() {
    SecretResolver secrets = new SecretResolver(Map.of("OTHER_KEY", "sk-other-999"), confDir);

    ConfigException e = assertThrows(ConfigException.class, () -> secrets.resolve(auth("${COMET_KEY}"), "key"));

    assertEquals(FILE, e.file());
    assertEquals("providers.primary.auth.key", e.path());
    assertTrue(e.getMessage().contains("COMET_KEY"), e.getMessage());
    assertTrue(e.getMessage().contains("not set"), e.getMessage());
    assertFalse(e.getMessage().contains("sk-other-999"), e.getMessage());
  }

  @ParameterizedTest(name = "value [{0}]")
  @ValueSource(strings = {"", "   ", "\n"})
  void givenEnvVariableThatIsBlank_whenResolved_thenTreatedAsNotSet(String value) {
    SecretResolver secrets = new SecretResolver(Map.of("COMET_KEY", value), confDir);

    ConfigException e = assertThrows(ConfigException.class, () -> secrets.resolve(auth("${COMET_KEY}"), "key"));

    assertTrue(e.reason().contains("COMET_KEY is not set"), e.reason());
  }

  @Test
  void givenRelativeFileReference_whenResolved_thenReadFromTheConfigDirectoryAndTrimmed() throws IOException {
    Files.createDirectories(confDir.resolve("secrets"));
    Files.writeString(confDir.resolve("secrets/comet.key"), "\n sk-from-file \n", StandardCharsets.UTF_8);
    SecretResolver secrets = new SecretResolver(Map.of(), confDir);

    assertEquals("sk-from-file", secrets.resolve(auth("file:secrets/comet.key"), "key"));
  }

  @Test
  void givenAbsoluteFileReference_whenResolved_thenReadFromThatPath(@TempDir Path elsewhere) throws IOException {
    Path key = elsewhere.resolve("abs.key");
    Files.writeString(key, "sk-abs", StandardCharsets.UTF_8);
    SecretResolver secrets = new SecretResolver(Map.of(), confDir);

    assertEquals("sk-abs", secrets.resolve(auth("file:" + key.toAbsolutePath()), "key"));
  }

  @Test
  void givenFileReferenceToMissingFile_whenResolved_thenErrorNamesFieldAndPath() {
    SecretResolver secrets = new SecretResolver(Map.of(), confDir);

    ConfigException e = assertThrows(ConfigException.class, () -> secrets.resolve(auth("file:nope.key"), "key"));

    assertEquals("providers.primary.auth.key", e.path());
    assertTrue(e.reason().contains("cannot read secret file"), e.reason());
    assertTrue(e.reason().contains(confDir.resolve("nope.key").toString()), e.reason());
  }

  @Test
  void givenEmptySecretFile_whenResolved_thenRejected() throws IOException {
    Files.writeString(confDir.resolve("empty.key"), "  \n", StandardCharsets.UTF_8);
    SecretResolver secrets = new SecretResolver(Map.of(), confDir);

    ConfigException e = assertThrows(ConfigException.class, () -> secrets.resolve(auth("file:empty.key"), "key"));

    assertEquals("providers.primary.auth.key", e.path());
    assertTrue(e.reason().contains("is empty"), e.reason());
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"sk-live-abcdef123456", "$COMET_KEY", "${COMET_KEY", " ${COMET_KEY}", "${1BAD}",
      "env:COMET_KEY", "FILE:x.key"})
  void givenLiteralOrMalformedReference_whenResolved_thenRejectedAsLiteralWithoutEchoingIt(String literal) {
    SecretResolver secrets = new SecretResolver(Map.of("COMET_KEY", "sk-env"), confDir);

    ConfigException e = assertThrows(ConfigException.class, () -> secrets.resolve(auth(literal), "key"));

    assertEquals("providers.primary.auth.key", e.path());
    assertTrue(e.reason().contains("not a literal value"), e.reason());
    assertFalse(e.getMessage().contains(literal.trim()), e.getMessage());
  }

  @Test
  void givenMissingKey_whenResolved_thenIsRequired() {
    SecretResolver secrets = new SecretResolver(Map.of(), confDir);
    ConfigNode node = new ConfigNode(FILE, "providers.primary.auth", new JsonObject());

    ConfigException e = assertThrows(ConfigException.class, () -> secrets.resolve(node, "key"));

    assertEquals("providers.primary.auth.key", e.path());
    assertTrue(e.reason().contains("is required"));
  }

  @Test
  void givenOptionalReference_whenAbsentOrPresent_thenNullOrResolved() {
    SecretResolver secrets = new SecretResolver(Map.of("ORG", "org-1"), confDir);

    assertNull(secrets.resolveOptional(new ConfigNode(FILE, "p", new JsonObject()), "org"));
    assertEquals("org-1", secrets.resolveOptional(new ConfigNode(FILE, "p", new JsonObject().put("org", "${ORG}")),
        "org"));
  }

  @Test
  void givenOptionalLiteral_whenResolved_thenStillRejected() {
    SecretResolver secrets = new SecretResolver(Map.of(), confDir);

    assertThrows(ConfigException.class, () -> secrets.resolveOptional(
        new ConfigNode(FILE, "p", new JsonObject().put("org", "org-literal")), "org"));
  }
}
