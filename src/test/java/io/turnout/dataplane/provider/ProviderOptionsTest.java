package io.turnout.dataplane.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.config.ConfigException;
import io.turnout.config.ConfigNode;
import io.turnout.config.SecretResolver;
import io.turnout.config.YamlFiles;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ProviderOptions.fromConfig: per-kind defaults, URL joining and a key that never leaks. */
class ProviderOptionsTest {

  private static final String FILE = "conf/turnout.yaml";
  private static final String KEY = "sk-test-SECRET-0123456789";
  private static final SecretResolver SECRETS = new SecretResolver(Map.of("KEY", KEY), Path.of("conf"));

  private static ProviderOptions parse(String yaml) {
    ConfigNode root = ConfigNode.root(FILE, YamlFiles.parse(FILE, yaml));
    return ProviderOptions.fromConfig("primary", root.child("providers").child("primary"), SECRETS);
  }

  private static ConfigException fails(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml));
  }

  private static String provider(String kind, String extra) {
    return "providers:\n  primary:\n    kind: " + kind + "\n    base_url: http://h:1\n"
        + "    auth:\n      key: ${KEY}\n" + extra;
  }

  @Test
  void givenMinimalOpenAiProvider_whenParsed_thenOpenAiDefaultsApply() {
    ProviderOptions options = parse(provider("openai", ""));

    assertEquals(ProviderKind.OPENAI, options.kind());
    assertEquals("/v1/chat/completions", options.path());
    assertEquals("Authorization", options.authHeader());
    assertEquals("Bearer", options.authScheme());
    assertEquals("Bearer " + KEY, options.authValue());
    assertEquals(Map.of(), options.headers());
    assertTrue(options.requestStreamUsage());
    assertEquals(ProviderOptions.DEFAULT_CONNECT_TIMEOUT_MS, options.connectTimeoutMs());
    assertEquals(ProviderOptions.DEFAULT_FIRST_BYTE_TIMEOUT_MS, options.firstByteTimeoutMs());
    assertEquals(ProviderOptions.DEFAULT_STREAM_IDLE_TIMEOUT_MS, options.streamIdleTimeoutMs());
    assertEquals(ProviderOptions.DEFAULT_TOTAL_TIMEOUT_MS, options.totalTimeoutMs());
    assertEquals(ProviderOptions.DEFAULT_MAX_CONNECTIONS, options.maxConnections());
    assertEquals(ProviderOptions.DEFAULT_KEEP_ALIVE_SECONDS, options.keepAliveSeconds());
    assertEquals(ProviderOptions.DEFAULT_MAX_TOKENS, options.defaultMaxTokens());
  }

  @Test
  void givenMinimalAnthropicProvider_whenParsed_thenAnthropicDefaultsApply() {
    ProviderOptions options = parse(provider("anthropic", ""));

    assertEquals(ProviderKind.ANTHROPIC, options.kind());
    assertEquals("/v1/messages", options.path());
    assertEquals("x-api-key", options.authHeader());
    assertEquals("", options.authScheme());
    assertEquals(KEY, options.authValue());
    assertEquals(Map.of("anthropic-version", "2023-06-01"), options.headers());
    assertFalse(options.requestStreamUsage());
  }

  @Test
  void givenAnthropicVersion_whenSet_thenItIsSentAsTheHeader() {
    ProviderOptions options = parse(provider("anthropic", "    anthropic_version: \"2024-10-22\"\n"));

    assertEquals("2024-10-22", options.headers().get("anthropic-version"));
  }

  @Test
  void givenAnthropicVersionHeaderInOtherCase_whenParsed_thenOnlyOneVersionHeaderIsSent() {
    ProviderOptions options = parse(provider("anthropic", "    headers:\n      Anthropic-Version: \"2024-10-22\"\n"));

    long versionHeaders = options.headers().keySet().stream().filter("anthropic-version"::equalsIgnoreCase).count();
    assertEquals(1, versionHeaders, options.headers().toString());
    assertTrue(options.headers().containsValue("2024-10-22"));
  }

  @Test
  void givenAnthropicVersionOnOpenAiProvider_whenParsed_thenRejected() {
    ConfigException e = fails(provider("openai", "    anthropic_version: \"2023-06-01\"\n"));

    assertEquals("providers.primary.anthropic_version", e.path());
  }

  @Test
  void givenCustomAuthAndPath_whenParsed_thenTheyReplaceTheDefaults() {
    ProviderOptions options = parse("providers:\n  primary:\n    kind: openai\n    base_url: https://azure.example\n"
        + "    path: /openai/v1/chat/completions\n    auth:\n      header: api-key\n      scheme: \"\"\n"
        + "      key: ${KEY}\n");

    assertEquals("api-key", options.authHeader());
    assertEquals(KEY, options.authValue());
    assertEquals("/openai/v1/chat/completions", options.requestUri());
    assertTrue(options.ssl());
    assertEquals(443, options.port());
  }

  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource({
      "http://h:1/primary,        /v1/chat/completions, /primary/v1/chat/completions",
      "http://h:1/primary/,       /v1/chat/completions, /primary/v1/chat/completions",
      "http://h:1,                /v1/chat/completions, /v1/chat/completions",
      "http://h:1/,               /v1/chat/completions, /v1/chat/completions",
      "https://api.cometapi.com,  /v1/chat/completions, /v1/chat/completions",
      "https://gw.example/a/b%20c, /v1/messages,        /a/b%20c/v1/messages",
  })
  void givenBaseUrlWithPath_whenJoined_thenRequestUriKeepsTheBasePath(String baseUrl, String path, String expected) {
    ProviderOptions options = parse("providers:\n  primary:\n    kind: openai\n    base_url: " + baseUrl
        + "\n    path: " + path + "\n    auth:\n      key: ${KEY}\n");

    assertEquals(expected, options.requestUri());
    assertTrue(options.endpoint().endsWith(expected), options.endpoint());
    assertFalse(options.endpoint().contains("//v1"), options.endpoint());
  }

  @Test
  void givenPortlessHttpUrl_whenAsked_thenPort80() {
    ProviderOptions options = parse("providers:\n  primary:\n    kind: openai\n    base_url: http://h\n"
        + "    auth:\n      key: ${KEY}\n");

    assertEquals(80, options.port());
    assertFalse(options.ssl());
  }

  @Test
  void givenOptions_whenPrinted_thenTheKeyNeverAppears() {
    ProviderOptions options = parse(provider("openai", "    headers:\n      OpenAI-Project: proj_1\n"));

    String text = options.toString();

    assertFalse(text.contains(KEY), text);
    assertFalse(text.contains("SECRET"), text);
    assertTrue(text.contains("primary"), text);
    assertTrue(text.contains("redacted"), text);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Authorization", "authorization", "AUTHORIZATION"})
  void givenExtraHeaderThatSetsTheAuthHeader_whenParsed_thenRejected(String header) {
    ConfigException e = fails(provider("openai", "    headers:\n      " + header + ": Bearer sk-literal\n"));

    assertEquals("providers.primary.headers", e.path());
    assertFalse(e.getMessage().contains("sk-literal"), e.getMessage());
  }

  @Test
  void givenExtraHeaderThatSetsAnthropicAuthHeader_whenParsed_thenRejected() {
    ConfigException e = fails(provider("anthropic", "    headers:\n      X-Api-Key: k\n"));

    assertEquals("providers.primary.headers", e.path());
  }

  @Test
  void givenHarmlessExtraHeaders_whenParsed_thenKept() {
    ProviderOptions options = parse(provider("openai", "    headers:\n      OpenAI-Organization: org_1\n"));

    assertEquals(Map.of("OpenAI-Organization", "org_1"), options.headers());
    assertThrows(UnsupportedOperationException.class, () -> options.headers().put("x", "y"));
  }

  @Test
  void givenTimeoutTypo_whenParsed_thenUnknownFieldWithFullPath() {
    ConfigException e = fails(provider("openai", "    timeouts:\n      conect_ms: 500\n"));

    assertEquals(FILE, e.file());
    assertEquals("providers.primary.timeouts.conect_ms", e.path());
    assertEquals("unknown field", e.reason());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "timeouts:\\n      connect_ms: 0\\n              | providers.primary.timeouts.connect_ms      | must be between",
      "timeouts:\\n      total_ms: fast\\n             | providers.primary.timeouts.total_ms        | must be an integer",
      "pool:\\n      max_connections: 1.5\\n           | providers.primary.pool.max_connections     | must be an integer",
      "pool:\\n      keep_alive_s: 3601\\n             | providers.primary.pool.keep_alive_s        | must be between",
      "stream_usage: maybe\\n                        | providers.primary.stream_usage             | must be true or false",
      "default_max_tokens: 0\\n                      | providers.primary.default_max_tokens       | must be between",
      "path: v1/chat/completions\\n                  | providers.primary.path                     | must start with",
      "headers: [a]\\n                               | providers.primary.headers                  | must be a mapping",
      "headers:\\n      X-Num: 5\\n                  | providers.primary.headers.X-Num            | must be a string",
      "auth_key: x\\n                                | providers.primary.auth_key                 | unknown field",
  })
  void givenBadField_whenParsed_thenErrorNamesFileAndPath(String extra, String path, String reason) {
    ConfigException e = fails(provider("openai", "    " + extra.replace("\\n", "\n")));

    assertEquals(FILE, e.file());
    assertEquals(path, e.path());
    assertTrue(e.reason().contains(reason), e.reason());
  }

  @Test
  void givenAuthSchemeOfWrongType_whenParsed_thenRejectedWithItsPath() {
    ConfigException e = fails(provider("openai", "").replace("      key: ${KEY}\n",
        "      key: ${KEY}\n      scheme: [Bearer]\n"));

    assertEquals("providers.primary.auth.scheme", e.path());
  }

  @Test
  void givenUnknownAuthField_whenParsed_thenUnknownFieldUnderAuth() {
    ConfigException e = fails(provider("openai", "").replace("      key: ${KEY}\n",
        "      key: ${KEY}\n      token: x\n"));

    assertEquals("providers.primary.auth.token", e.path());
  }

  @Test
  void givenLiteralKey_whenParsed_thenRejectedWithoutEchoingIt() {
    ConfigException e = fails(provider("openai", "").replace("${KEY}", "sk-live-literal-777"));

    assertEquals("providers.primary.auth.key", e.path());
    assertTrue(e.reason().contains("not a literal value"), e.reason());
    assertFalse(e.getMessage().contains("sk-live-literal-777"));
  }

  @ParameterizedTest(name = "kind [{0}]")
  @ValueSource(strings = {"azure", "OpenAI", "\"\""})
  void givenUnknownKind_whenParsed_thenRejectedAtLoadTime(String kind) {
    ConfigException e = fails(provider(kind, ""));

    assertEquals("providers.primary.kind", e.path());
  }

  @Test
  void givenMissingKind_whenParsed_thenRequired() {
    ConfigException e = fails("providers:\n  primary:\n    base_url: http://h:1\n    auth:\n      key: ${KEY}\n");

    assertEquals("providers.primary.kind", e.path());
    assertTrue(e.reason().contains("is required"), e.reason());
  }

  @ParameterizedTest(name = "base_url [{0}]")
  @CsvSource(delimiter = '|', value = {
      "ftp://h/x           | must be an absolute http(s) URL",
      "/relative/path      | must be an absolute http(s) URL",
      "http://h:1/p?x=1    | must not have a query or fragment",
      "http://h:1/p#frag   | must not have a query or fragment",
      "'http://h:1/a b'    | is not a valid URL",
      "http://user:pw@h:1  | must not carry credentials",
  })
  void givenBadBaseUrl_whenParsed_thenRejectedAtItsPath(String baseUrl, String reason) {
    ConfigException e = fails(provider("openai", "").replace("http://h:1", baseUrl));

    assertEquals("providers.primary.base_url", e.path());
    assertTrue(e.reason().contains(reason), e.reason());
  }

  @Test
  void givenNoMaxStream_whenParsed_thenTenMinutes_andASetOneIsKeptAndRangeChecked() {
    assertEquals(600_000, parse(provider("openai", "")).maxStreamMs());
    assertEquals(90_000, parse(provider("openai", "    timeouts:\n      max_stream_ms: 90000\n")).maxStreamMs());

    ConfigException e = fails(provider("openai", "    timeouts:\n      max_stream_ms: 0\n"));
    assertEquals("providers.primary.timeouts.max_stream_ms", e.path());
  }
}
