package io.turnout.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Parses YAML config text into JSON objects. Safe loading only (no arbitrary types); booleans
 * follow the YAML 1.2 core schema ({@code true}/{@code false} only: {@code on}, {@code off},
 * {@code yes}, {@code no} are strings, as keys and as values); timestamps stay strings so that fields such as {@code expires_at} are parsed by the code that
 * owns them, with a field path in the error, not by the YAML library.
 */
public final class YamlFiles {

  private YamlFiles() {}

  /**
   * @param file the name used in error messages
   * @throws ConfigException when the text is not YAML or its top level is not a mapping
   */
  public static JsonObject parse(String file, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new org.yaml.snakeyaml.DumperOptions()),
        new org.yaml.snakeyaml.DumperOptions(), options, new NoTimestampResolver());
    Object root;
    try {
      root = yaml.load(text);
    } catch (MarkedYAMLException e) {
      String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1);
      throw new ConfigException(file, "", "not valid YAML" + where + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(file, "", "not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      return new JsonObject();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException(file, "", "the top level must be a mapping");
    }
    return toJson(file, "", map);
  }

  private static JsonObject toJson(String file, String path, Map<?, ?> map) {
    JsonObject json = new JsonObject();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new ConfigException(file, path, "keys must be strings, got " + entry.getKey()
            + "; quote the key to use it as a name");
      }
      String at = path.isEmpty() ? key : path + "." + key;
      json.put(key, convert(file, at, entry.getValue()));
    }
    return json;
  }

  private static Object convert(String file, String path, Object value) {
    if (value instanceof Map<?, ?> map) {
      return toJson(file, path, map);
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      for (int i = 0; i < list.size(); i++) {
        array.add(convert(file, path + "[" + i + "]", list.get(i)));
      }
      return array;
    }
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long || value instanceof Double) {
      return value;
    }
    if (value instanceof java.math.BigInteger big) {
      // SnakeYAML hands over integers beyond the long range as BigInteger; longValue() would wrap
      // (2^64 + 8080 would read as port 8080).
      if (big.bitLength() > 63) {
        throw new ConfigException(file, path, "integer out of range: " + big);
      }
      return big.longValue();
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    throw new ConfigException(file, path, "unsupported value type " + value.getClass().getSimpleName());
  }

  /** The default resolver minus the timestamp rule, with YAML 1.2 core booleans. */
  private static final class NoTimestampResolver extends Resolver {
    private static final java.util.regex.Pattern CORE_BOOL =
        java.util.regex.Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");

    @Override
    protected void addImplicitResolvers() {
      // YAML 1.2 core schema: only true and false are booleans, so keys and values such as on,
      // off, yes, no, y and n stay strings (an alias or cohort named "on" is no crash).
      addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.BOOL, CORE_BOOL, "tTfF");
      addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.INT, INT, "-+0123456789");
      addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.MERGE, MERGE, "<");
      addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, EMPTY, null);
    }
  }
}
