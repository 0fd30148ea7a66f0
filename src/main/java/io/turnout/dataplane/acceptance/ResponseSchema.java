package io.turnout.dataplane.acceptance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request's {@code response_format.json_schema.schema}, compiled once by vertx-json-schema
 * (JSON Schema 2020-12) and used to judge answers. Problems are reported as {@code path: reason}
 * with the instance location as a JSON path ({@code $.tags[0]}) and the failed keyword; reasons
 * name fields, keywords and the schema's own bounds, never a value of the answer, so they are
 * safe to log. The library's own messages quote answer values, which is why they are not used.
 */
final class ResponseSchema {

  /** A schema that cannot be used (unresolvable {@code $ref}, malformed keyword): judges nothing. */
  static final ResponseSchema UNUSABLE = new ResponseSchema(null, null);

  private static final int MAX_PROBLEMS = 5;
  private static final String BASE_URI = "urn:turnout:response-format";
  private static final Pattern REQUIRED = Pattern.compile("required property \"(.*)\"");
  private static final Pattern TYPE = Pattern.compile("Instance type (\\w+) is invalid");

  private final Validator validator;
  private final JsonObject schema;

  private ResponseSchema(Validator validator, JsonObject schema) {
    this.validator = validator;
    this.schema = schema;
  }

  /** Compiles {@code schema}; {@link #UNUSABLE} when the library refuses it. */
  static ResponseSchema compile(JsonObject schema) {
    try {
      JsonObject copy = schema.copy();
      return new ResponseSchema(Validator.create(JsonSchema.of(copy), new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012).setBaseUri(BASE_URI).setOutputFormat(OutputFormat.Basic)), copy);
    } catch (RuntimeException unusable) {
      return UNUSABLE;
    }
  }

  /** The problems of {@code value} against this schema, at most five; empty when it matches. */
  List<String> problems(Object value) {
    if (validator == null) {
      return List.of();
    }
    OutputUnit result;
    try {
      result = validator.validate(value);
    } catch (RuntimeException unusable) {
      // A schema the library compiles but cannot apply (e.g. a $ref to nowhere) is the client's
      // mistake, not the provider's: it must not count against the answer.
      return List.of();
    }
    if (Boolean.TRUE.equals(result.getValid()) || result.getErrors() == null) {
      return List.of();
    }
    List<OutputUnit> errors = leaves(result.getErrors());
    List<String> problems = new ArrayList<>();
    for (OutputUnit error : errors) {
      String problem = describe(error, value);
      if (!problems.contains(problem)) {
        problems.add(problem);
      }
      if (problems.size() == MAX_PROBLEMS) {
        break;
      }
    }
    return problems;
  }

  /**
   * The errors that say what is wrong, without the ones that only say where: a {@code properties}
   * or {@code items} error with a deeper error below it, the branches below a failed
   * {@code anyOf}/{@code oneOf} (the branch failures are expected; "none matched" is the news), and
   * the {@code additionalProperties} errors the library also reports for a declared property whose
   * own schema failed.
   */
  private static List<OutputUnit> leaves(List<OutputUnit> errors) {
    List<OutputUnit> kept = new ArrayList<>();
    for (OutputUnit e : errors) {
      if (!isBelowCombinator(e.getKeywordLocation())) {
        kept.add(e);
      }
    }
    List<OutputUnit> leaves = new ArrayList<>();
    for (OutputUnit e : kept) {
      boolean wrapper = kept.stream().anyMatch(o -> o != e
          && o.getKeywordLocation().startsWith(e.getKeywordLocation() + "/"));
      boolean echoed = "additionalProperties".equals(keyword(e)) && kept.stream().anyMatch(o -> o != e
          && !"additionalProperties".equals(keyword(o)) && o.getInstanceLocation().equals(e.getInstanceLocation()));
      if (!wrapper && !echoed) {
        leaves.add(e);
      }
    }
    return leaves;
  }

  private static boolean isBelowCombinator(String keywordLocation) {
    return keywordLocation.matches(".*/(anyOf|oneOf)/\\d+/.*") || keywordLocation.matches(".*/not/.*");
  }

  private String describe(OutputUnit error, Object instance) {
    String keyword = keyword(error);
    List<String> at = pointer(error.getInstanceLocation());
    String path = jsonPath(at, instance);
    String message = error.getError() == null ? "" : error.getError();
    return switch (keyword) {
      case "required" -> {
        Matcher m = REQUIRED.matcher(message);
        yield path + ": missing required property '" + (m.find() ? m.group(1) : "?") + "'";
      }
      case "additionalProperties", "unevaluatedProperties" -> at.isEmpty() ? path + ": " + keyword + " not met"
          : jsonPath(at.subList(0, at.size() - 1), instance) + ": property '" + at.get(at.size() - 1)
              + "' is not allowed";
      case "type" -> {
        Matcher m = TYPE.matcher(message);
        yield path + ": expected " + keywordValue(error) + (m.find() ? ", got " + m.group(1) : "");
      }
      case "enum" -> path + ": not one of the enum values";
      case "const" -> path + ": not the const value";
      case "minimum", "exclusiveMinimum" -> path + ": below the minimum";
      case "maximum", "exclusiveMaximum" -> path + ": above the maximum";
      case "minLength" -> path + ": fewer than " + keywordValue(error) + " characters";
      case "maxLength" -> path + ": more than " + keywordValue(error) + " characters";
      case "minItems" -> path + ": fewer than " + keywordValue(error) + " items";
      case "maxItems" -> path + ": more than " + keywordValue(error) + " items";
      case "anyOf" -> path + ": matches none of anyOf";
      case "oneOf" -> path + ": matches none or more than one of oneOf";
      default -> path + ": fails " + keyword;
    };
  }

  /** The failed keyword: the last segment of the keyword location. */
  private static String keyword(OutputUnit error) {
    List<String> location = pointer(error.getKeywordLocation());
    return location.isEmpty() ? "" : location.get(location.size() - 1);
  }

  /** The failed keyword's value in the schema (a bound or a type), or {@code ?} behind a {@code $ref}. */
  private Object keywordValue(OutputUnit error) {
    String absolute = error.getAbsoluteKeywordLocation();
    String fragment = absolute != null && absolute.startsWith(BASE_URI + "#") ? absolute.substring(BASE_URI.length())
        : error.getKeywordLocation();
    Object at = schema;
    for (String segment : pointer(fragment)) {
      if (at instanceof JsonObject object) {
        at = object.getValue(segment);
      } else if (at instanceof JsonArray array && segment.matches("\\d+") && Integer.parseInt(segment) < array.size()) {
        at = array.getValue(Integer.parseInt(segment));
      } else {
        return "?";
      }
    }
    return at == null ? "?" : at instanceof JsonArray types ? String.join(" or ", types.stream().map(String::valueOf)
        .toList()) : at;
  }

  /** A JSON pointer ({@code #/a/0}) as its unescaped segments. */
  private static List<String> pointer(String location) {
    String p = location == null ? "" : location.startsWith("#") ? location.substring(1) : location;
    List<String> segments = new ArrayList<>();
    if (p.isEmpty() || p.equals("/")) {
      return segments;
    }
    for (String s : p.substring(p.startsWith("/") ? 1 : 0).split("/", -1)) {
      segments.add(s.replace("~1", "/").replace("~0", "~"));
    }
    return segments;
  }

  /** Segments as {@code $.a[0].b}, walking the instance to tell array indexes from object keys. */
  private static String jsonPath(List<String> segments, Object instance) {
    StringBuilder path = new StringBuilder("$");
    Object at = instance;
    for (String segment : segments) {
      if (at instanceof JsonArray array && segment.matches("\\d+")) {
        path.append('[').append(segment).append(']');
        int i = Integer.parseInt(segment);
        at = i < array.size() ? array.getValue(i) : null;
      } else {
        path.append('.').append(segment);
        at = at instanceof JsonObject object ? object.getValue(segment) : null;
      }
    }
    return path.toString();
  }
}
