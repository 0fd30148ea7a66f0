package io.turnout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Keys and values such as on, off, yes, no are strings (YAML 1.2 core schema), never a crash (issue 13 item 16). */
class YamlCoreSchemaTest {

  @Test
  void yesNoOnOff_keys_areStrings() {
    JsonObject json = YamlFiles.parse("t.yaml", "on: 1\noff: 2\nyes: 3\nno: 4\ny: 5\nN: 6\n");

    assertEquals(6, json.size(), json.encode());
    assertEquals(1, json.getInteger("on"));
    assertEquals(4, json.getInteger("no"));
    assertEquals(6, json.getInteger("N"));
  }

  @Test
  void yesNoOnOff_values_areStrings_trueFalse_stayBooleans() {
    JsonObject json = YamlFiles.parse("t.yaml", "a: yes\nb: off\nc: true\nd: FALSE\ne: True\n");

    assertEquals("yes", json.getValue("a"));
    assertEquals("off", json.getValue("b"));
    assertEquals(Boolean.TRUE, json.getValue("c"));
    assertEquals(Boolean.FALSE, json.getValue("d"));
    assertEquals(Boolean.TRUE, json.getValue("e"));
  }

  @Test
  void aBooleanSettingGivenAsYes_isRefusedWithItsPath() {
    ConfigNode root = ConfigNode.root("t.yaml", YamlFiles.parse("t.yaml", "routing:\n  watch: yes\n"));

    ConfigException e = assertThrows(ConfigException.class, () -> root.child("routing").bool("watch", true));

    assertEquals("routing.watch", e.path());
    assertTrue(e.reason().contains("must be true or false"), e.reason());
  }

  @Test
  void aNumberKey_isRefusedWithAClearMessage() {
    ConfigException e = assertThrows(ConfigException.class, () -> YamlFiles.parse("t.yaml", "a:\n  404: x\n"));

    assertEquals("a", e.path());
    assertTrue(e.reason().contains("quote the key"), e.reason());
  }
}
