package io.turnout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** ConfigNode: strict, path-aware reads; every error names the file and the exact field path. */
class ConfigNodeTest {

  private static final String FILE = "conf/turnout.yaml";

  private static ConfigNode node(String json) {
    return ConfigNode.root(FILE, new JsonObject(json));
  }

  private static ConfigException fails(Executable read) {
    return assertThrows(ConfigException.class, read);
  }

  private static void assertError(ConfigException e, String path, String reasonPart) {
    assertEquals(FILE, e.file());
    assertEquals(path, e.path());
    assertTrue(e.reason().contains(reasonPart), "reason was: " + e.reason());
    assertTrue(e.getMessage().startsWith(FILE + ": " + path + ": "), "message was: " + e.getMessage());
  }

  @Test
  void givenNestedChildren_whenAnUnknownFieldRemains_thenFinishNamesItsFullPath() {
    ConfigNode root = node("{\"providers\":{\"primary\":{\"timeouts\":{\"connect_ms\":5,\"conect_ms\":9}}}}");
    ConfigNode timeouts = root.children("providers").get("primary").child("timeouts");
    assertEquals(5, timeouts.longValue("connect_ms", 1, 1, 10));

    assertError(fails(timeouts::finish), "providers.primary.timeouts.conect_ms", "unknown field");
  }

  @Test
  void givenAllFieldsRead_whenFinished_thenNoError() {
    ConfigNode root = node("{\"a\":\"x\",\"b\":1}");
    root.string("a");
    root.intValue("b", 0, 0, 5);

    root.finish();
  }

  @Test
  void givenFieldOnlyCheckedWithHas_whenFinished_thenItIsStillUnknown() {
    ConfigNode root = node("{\"a\":1}");
    assertTrue(root.has("a"));

    assertError(fails(root::finish), "a", "unknown field");
  }

  @Test
  void givenRequiredStringMissing_whenRead_thenIsRequired() {
    assertError(fails(() -> node("{}").child("auth").string("key")), "auth.key", "is required");
  }

  @Test
  void givenStringOfWrongType_whenRead_thenTypeIsNamed() {
    assertError(fails(() -> node("{\"host\":5}").optString("host", "d")), "host", "must be a string, got a number");
  }

  @Test
  void givenBlankString_whenRead_thenMustNotBeEmpty() {
    assertError(fails(() -> node("{\"host\":\"  \"}").optString("host", "d")), "host", "must not be empty");
  }

  @Test
  void givenAbsentOptionalValues_whenRead_thenDefaultsAreReturned() {
    ConfigNode n = node("{\"x\":null}");

    assertEquals("d", n.optString("x", "d"));
    assertEquals(7, n.intValue("y", 7, 0, 10));
    assertEquals(8L, n.longValue("y", 8, 0, 10));
    assertEquals(0.5, n.doubleValue("y", 0.5, 0, 1));
    assertTrue(n.bool("y", true));
    assertFalse(n.has("x"));
  }

  @Test
  void givenIntegerOutOfRange_whenRead_thenRangeAndValueAreNamed() {
    ConfigNode n = node("{\"pool\":{\"max_connections\":0}}").child("pool");

    assertError(fails(() -> n.intValue("max_connections", 128, 1, 100_000)), "pool.max_connections",
        "must be between 1 and 100000, got 0");
  }

  @Test
  void givenIntegerAboveIntRange_whenReadAsInt_thenRejectedInsteadOfWrapped() {
    ConfigNode n = node("{\"port\":4294975376}"); // 2^32 + 8080

    assertError(fails(() -> n.intValue("port", 1, 0, 65_535)), "port", "must be between 0 and 65535");
  }

  @Test
  void givenFractionalOrStringForInteger_whenRead_thenMustBeAnInteger() {
    assertError(fails(() -> node("{\"n\":1.5}").intValue("n", 1, 0, 10)), "n", "must be an integer, got a number");
    assertError(fails(() -> node("{\"n\":\"3\"}").longValue("n", 1, 0, 10)), "n", "must be an integer, got a string");
    assertError(fails(() -> node("{\"n\":[]}").longValue("n", 1, 0, 10)), "n", "must be an integer, got a list");
  }

  @Test
  void givenRequiredIntMissing_whenRead_thenIsRequired() {
    assertError(fails(() -> node("{}").intValue("port", 0, 65_535)), "port", "is required");
    assertEquals(9, node("{\"port\":9}").intValue("port", 0, 65_535));
  }

  @Test
  void givenDoubleOutOfRangeOrWrongType_whenRead_thenRejected() {
    assertError(fails(() -> node("{\"r\":1.5}").doubleValue("r", 0, 0, 1)), "r", "must be between");
    assertError(fails(() -> node("{\"r\":true}").doubleValue("r", 0, 0, 1)), "r", "must be a number, got a boolean");
    assertEquals(1.0, node("{\"r\":1}").doubleValue("r", 0, 0, 1));
  }

  @Test
  void givenNaN_whenReadAsDouble_thenRejected() {
    ConfigNode n = ConfigNode.root(FILE, new JsonObject().put("r", Double.NaN));

    assertError(fails(() -> n.doubleValue("r", 0, 0, 1)), "r", "must be between");
  }

  @Test
  void givenNonBooleanFlag_whenRead_thenMustBeTrueOrFalse() {
    assertError(fails(() -> node("{\"f\":\"yes\"}").bool("f", false)), "f", "must be true or false, got a string");
  }

  @Test
  void givenEnumValue_whenReadThroughParser_thenParsedOrRejectedWithAllowedValues() {
    ConfigNode n = node("{\"a\":\"openai\",\"b\":\"azure\"}");

    assertEquals(io.turnout.dataplane.provider.ProviderKind.OPENAI,
        n.enumValue("a", null, io.turnout.dataplane.provider.ProviderKind::fromWireName, "openai, anthropic"));
    assertError(fails(() -> n.enumValue("b", null, io.turnout.dataplane.provider.ProviderKind::fromWireName,
        "openai, anthropic")), "b", "must be one of openai, anthropic, got 'azure'");
    assertError(fails(() -> n.enumValue("c", null, io.turnout.dataplane.provider.ProviderKind::fromWireName,
        "openai, anthropic")), "c", "is required (one of openai, anthropic)");
  }

  @Test
  void givenChildThatIsNotAMapping_whenRead_thenMustBeAMapping() {
    assertError(fails(() -> node("{\"http\":[1]}").child("http")), "http", "must be a mapping, got a list");
  }

  @Test
  void givenAbsentChild_whenRead_thenEmptyNodeWithItsPath() {
    ConfigNode child = node("{}").child("http");

    assertEquals("http", child.path());
    assertEquals(FILE, child.file());
    assertEquals(8080, child.intValue("port", 8080, 0, 65_535));
  }

  @Test
  void givenChildren_whenRead_thenInFileOrderWithPaths() {
    Map<String, ConfigNode> children = node("{\"p\":{\"z\":{},\"a\":{},\"m\":{}}}").children("p");

    assertEquals(List.of("z", "a", "m"), List.copyOf(children.keySet()));
    assertEquals("p.a", children.get("a").path());
  }

  @Test
  void givenChildrenWithAScalarEntry_whenRead_thenTheEntryPathIsNamed() {
    assertError(fails(() -> node("{\"providers\":{\"primary\":\"x\"}}").children("providers")),
        "providers.primary", "must be a mapping, got a string");
  }

  @Test
  void givenListOfObjects_whenAnItemIsNotAMapping_thenItsIndexIsNamed() {
    ConfigNode n = node("{\"routes\":[{\"a\":1},2]}");

    assertError(fails(() -> n.list("routes")), "routes[1]", "must be a mapping, got a number");
  }

  @Test
  void givenListOfObjects_whenRead_thenItemsCarryIndexedPaths() {
    List<ConfigNode> items = node("{\"routes\":[{\"a\":1},{\"b\":2}]}").list("routes");

    assertEquals(2, items.size());
    assertError(fails(items.get(1)::finish), "routes[1].b", "unknown field");
  }

  @Test
  void givenListThatIsAMapping_whenRead_thenMustBeAList() {
    assertError(fails(() -> node("{\"l\":{}}").list("l")), "l", "must be a list, got a mapping");
    assertError(fails(() -> node("{\"l\":\"a\"}").stringList("l")), "l", "must be a list, got a string");
  }

  @Test
  void givenStringListWithBlankOrNonString_whenRead_thenItemPathIsNamed() {
    assertError(fails(() -> node("{\"l\":[\"a\",\" \"]}").stringList("l")), "l[1]", "must be a non-empty string");
    assertError(fails(() -> node("{\"l\":[3]}").stringList("l")), "l[0]", "must be a non-empty string");
    assertEquals(List.of("a", "b"), node("{\"l\":[\"a\",\"b\"]}").stringList("l"));
    assertTrue(node("{}").stringList("l").isEmpty());
  }

  @Test
  void givenStringMapWithNonStringValue_whenRead_thenTheHeaderPathIsNamed() {
    ConfigNode n = node("{\"headers\":{\"X-A\":\"1\",\"X-B\":2}}");

    assertError(fails(() -> n.stringMap("headers")), "headers.X-B", "must be a string, got a number");
  }

  @Test
  void givenStringMap_whenRead_thenInFileOrder() {
    Map<String, String> map = node("{\"headers\":{\"X-B\":\"2\",\"X-A\":\"1\"}}").stringMap("headers");

    assertEquals(List.of("X-B", "X-A"), List.copyOf(map.keySet()));
    assertEquals("1", map.get("X-A"));
  }

  @Test
  void givenRawPassThroughSection_whenRead_thenReturnedAsIsAndMarkedRead() {
    ConfigNode n = node("{\"simulator\":{\"script\":[1,2]},\"x\":null}");

    Object raw = n.raw("simulator");
    n.raw("x");

    assertEquals(new JsonObject().put("script", new JsonArray().add(1).add(2)), raw);
    n.finish();
  }

  @Test
  void givenNullJson_whenWrapped_thenEmptyNode() {
    ConfigNode n = new ConfigNode(FILE, "a.b", null);

    assertNull(n.optString("x", null));
    assertEquals("a.b.x", n.pathOf("x"));
    n.finish();
  }

  @Test
  void givenRootError_whenRaised_thenMessageHasFileAndReasonOnly() {
    ConfigException e = ConfigNode.root(FILE, new JsonObject()).error("broken");

    assertEquals("", e.path());
    assertEquals(FILE + ": broken", e.getMessage());
  }
}
