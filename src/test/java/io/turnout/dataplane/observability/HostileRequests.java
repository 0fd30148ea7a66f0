package io.turnout.dataplane.observability;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A seeded generator of malformed and hostile chat requests, each with the status the node must
 * answer it with, so a test can tell a refused request from one that slipped through. Requests
 * are for the alias {@code chat-primary} (and {@code chat-cometapi}, whose route enables only
 * streaming) of {@code TestNode.DEFAULT_ROUTES}, sent with a valid client key unless the case is
 * about the key.
 */
final class HostileRequests {

  /**
   * One request and what the node must answer.
   *
   * @param contentType null for no content type
   * @param authorization null for no authorization header
   * @param chunked send without a content length
   * @param status the status the node must answer with
   * @param paramPrefix what {@code error.param} must start with, or null when not checked
   */
  record Hostile(String kind, HttpMethod method, String contentType, Buffer body, String authorization,
      String requestId, boolean chunked, int status, String paramPrefix) {

    /** The kind and the start of the body, printable, for assertion messages. */
    String describe() {
      String text = body == null ? "" : body.getString(0, Math.min(body.length(), 160), "ISO-8859-1");
      return kind + " " + method + " ct=" + contentType + " auth=" + authorization + " body("
          + (body == null ? 0 : body.length()) + ")=" + text.replaceAll("[^\\x20-\\x7e]", "?");
    }
  }

  private static final String ALIAS = "chat-primary";

  private final Random random;
  private final String validAuthorization;
  private final int maxBodyBytes;

  private HostileRequests(long seed, String validKey, int maxBodyBytes) {
    this.random = new Random(seed);
    this.validAuthorization = "Bearer " + validKey;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** At least {@code count} requests, every kind in turn, the same list for the same seed. */
  static List<Hostile> generate(long seed, int count, String validKey, int maxBodyBytes) {
    HostileRequests g = new HostileRequests(seed, validKey, maxBodyBytes);
    List<Function<Random, Hostile>> kinds = List.of(g::notJson, g::truncated, g::wrongType, g::missingRequired,
        g::badMessage, g::deepNesting, g::invalidUtf8, g::wrongContentType, g::oversize, g::unknownAlias,
        g::badClientKey, g::featureNotEnabled, g::wrongMethod, g::badNumberLiteral);
    List<Hostile> cases = new ArrayList<>();
    while (cases.size() < count) {
      for (Function<Random, Hostile> kind : kinds) {
        cases.add(kind.apply(g.random));
      }
    }
    return cases;
  }

  // --- the kinds ---

  private Hostile notJson(Random r) {
    List<String> texts = List.of("hello", "model=chat-primary&messages=hi", "<request><model>x</model></request>",
        "null", "[]", "[{\"model\":\"chat-primary\"}]", "\"a string\"", "42", "true", "{model: chat-primary}",
        "{'model':'chat-primary'}", validJson(r) + " trailing", validJson(r) + "{}", "{\"model\":\"chat-primary\",}",
        "{\"model\" \"chat-primary\"}", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"]}", "   ", "{", "}");
    Buffer body;
    if (r.nextInt(3) == 0) {
      byte[] bytes = new byte[1 + r.nextInt(300)];
      r.nextBytes(bytes);
      bytes[0] = (byte) ('a' + r.nextInt(26)); // never a JSON value's first character
      body = Buffer.buffer(bytes);
    } else {
      body = Buffer.buffer(pick(r, texts));
    }
    return json("not_json", body, 400, null);
  }

  private Hostile truncated(Random r) {
    String text = validJson(r);
    return json("truncated", Buffer.buffer(text.substring(0, 1 + r.nextInt(text.length() - 1))), 400, null);
  }

  /** Values of the wrong type, or out of range, for every field the node checks. */
  private static final Map<String, List<Object>> WRONG = Map.ofEntries(
      Map.entry("model", list(7, true, new JsonArray(), new JsonObject(), "", "   ", null)),
      Map.entry("messages", list("hi", 7, new JsonObject(), new JsonArray(), new JsonArray().add("x"),
          new JsonArray().add(7), new JsonArray().addNull(), null)),
      Map.entry("stream", list("true", 1, 0, new JsonArray(), new JsonObject())),
      Map.entry("temperature", list("0.5", true, new JsonArray(), new JsonObject(), -0.01, 2.01, 1e300, "NaN",
          "Infinity", "-Infinity")),
      Map.entry("top_p", list(1.01, -0.5, "1", false, "NaN")),
      Map.entry("presence_penalty", list(2.5, -2.01, "0", new JsonArray())),
      Map.entry("frequency_penalty", list(3, -3, "x", new JsonObject(), "-Infinity")),
      Map.entry("n", list(0, 129, 1.5, "2", -1, true)),
      Map.entry("max_tokens", list(0, -1, 1.5, "100", true, 2_147_483_648L, 1e30)),
      Map.entry("max_completion_tokens", list(0, -7, 2.5, "5", new JsonArray())),
      Map.entry("top_logprobs", list(21, -1, "5", 0.5)),
      Map.entry("seed", list(1.5, "42", true, new BigInteger("18446744073709551616"), "NaN")),
      Map.entry("logprobs", list("true", 1, new JsonObject())),
      Map.entry("parallel_tool_calls", list("false", 0, new JsonArray())),
      Map.entry("stop", list(5, new JsonArray().add(1), new JsonArray().add("a").add("b").add("c").add("d").add("e"),
          new JsonObject(), true, new JsonArray().addNull())),
      Map.entry("tools", list("x", new JsonObject(), new JsonArray().add(1),
          new JsonArray().add(new JsonObject().put("type", "function")),
          new JsonArray().add(new JsonObject().put("type", "fn").put("function", new JsonObject().put("name", "a"))),
          new JsonArray().add(tool(new JsonObject().put("name", ""))),
          new JsonArray().add(tool(new JsonObject().put("name", 5))),
          new JsonArray().add(tool(new JsonObject().put("name", "a").put("parameters", "x"))))),
      Map.entry("tool_choice", list("sometimes", 5, new JsonObject(), new JsonObject().put("type", "function"),
          new JsonObject().put("type", "function").put("function", new JsonObject()), new JsonArray(), true,
          new JsonObject().put("type", "function").put("function", new JsonObject().put("name", 7)))),
      Map.entry("response_format", list("json", new JsonObject(), new JsonObject().put("type", "xml"),
          new JsonObject().put("type", "json_schema"), new JsonObject().put("type", 5), new JsonArray(),
          new JsonObject().put("type", "json_schema").put("json_schema", "x"))),
      Map.entry("user", list(5, new JsonObject(), new JsonArray(), true)),
      Map.entry("stream_options", list("x", 1, new JsonArray(), true,
          new JsonObject().put("include_usage", "yes"), new JsonObject().put("include_usage", 1))));

  private Hostile wrongType(Random r) {
    List<String> fields = WRONG.keySet().stream().sorted().toList();
    String field = pick(r, fields);
    JsonObject body = validRequest(r);
    Object value = pick(r, WRONG.get(field));
    body.put(field, value);
    if (field.equals("stream_options")) {
      body.put("stream", true);
    }
    return json("wrong_type:" + field, body.toBuffer(), 400, field);
  }

  private Hostile missingRequired(Random r) {
    JsonObject body = validRequest(r);
    return switch (r.nextInt(5)) {
      case 0 -> json("missing_model", without(body, "model").toBuffer(), 400, "model");
      case 1 -> json("missing_messages", without(body, "messages").toBuffer(), 400, "messages");
      case 2 -> json("empty_object", Buffer.buffer("{}"), 400, "model");
      case 3 -> json("empty_messages", body.put("messages", new JsonArray()).toBuffer(), 400, "messages");
      default -> json("stream_options_without_stream",
          without(body, "stream").put("stream_options", new JsonObject().put("include_usage", true)).toBuffer(), 400,
          "stream_options");
    };
  }

  /** Messages that break the contract; inserted after valid ones, so the param path names the index. */
  private static final List<Object> BAD_MESSAGES = list(
      new JsonObject().put("role", "robot").put("content", "x"),
      new JsonObject().put("role", "").put("content", "x"),
      new JsonObject().put("role", 5).put("content", "x"),
      new JsonObject().putNull("role").put("content", "x"),
      new JsonObject().put("role", "USER").put("content", "x"),
      new JsonObject().put("role", "user ").put("content", "x"),
      new JsonObject().put("content", "x"),
      new JsonObject().put("role", "user"),
      new JsonObject().put("role", "user").put("content", 5),
      new JsonObject().put("role", "user").put("content", new JsonObject()),
      new JsonObject().put("role", "system").put("content", true),
      new JsonObject().put("role", "user").put("content", new JsonArray().add(5)),
      new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject().put("text", "x"))),
      new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject().put("type", 7))),
      new JsonObject().put("role", "tool").put("content", "x"),
      new JsonObject().put("role", "tool").put("content", "x").put("tool_call_id", ""),
      new JsonObject().put("role", "tool").put("tool_call_id", "call_1"),
      new JsonObject().put("role", "assistant"),
      new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray()),
      new JsonObject().put("role", "assistant").put("tool_calls", "x"),
      new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(new JsonObject()
          .put("function", new JsonObject().put("name", "f").put("arguments", "{}")))),
      new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(new JsonObject()
          .put("id", "c").put("function", new JsonObject().put("name", "f").put("arguments", new JsonObject())))),
      "just a string", 7, null, new JsonArray());

  private Hostile badMessage(Random r) {
    JsonObject body = validRequest(r);
    JsonArray messages = body.getJsonArray("messages");
    int at = messages.size();
    Object bad = pick(r, BAD_MESSAGES);
    messages.add(bad instanceof JsonObject o ? o.copy() : bad);
    return json("bad_message", body.toBuffer(), 400, "messages[" + at + "]");
  }

  private Hostile deepNesting(Random r) {
    // The parser refuses nesting past 1,000 levels; every case here is deeper and fits the body limit.
    int depth = 1_100 + r.nextInt(1_500);
    String arrays = "[".repeat(depth) + "]".repeat(depth);
    String valid = validJson(r);
    String body = switch (r.nextInt(4)) {
      case 0 -> valid.substring(0, valid.length() - 1) + ",\"x_extension\":" + arrays + "}";
      case 1 -> "{\"model\":\"chat-primary\",\"messages\":[{\"role\":\"user\",\"content\":" + arrays + "}]}";
      case 2 -> valid.substring(0, valid.length() - 1) + ",\"tools\":" + arrays + "}";
      default -> {
        int objects = 1_100 + r.nextInt(20);
        yield valid.substring(0, valid.length() - 1) + ",\"metadata\":" + "{\"a\":".repeat(objects) + "1"
            + "}".repeat(objects) + "}";
      }
    };
    return json("deep_nesting", Buffer.buffer(body), 400, null);
  }

  /** Byte sequences that are not UTF-8, some of which a lenient decoder turns into characters. */
  private static final List<int[]> NOT_UTF8 = List.of(new int[] {0xFF}, new int[] {0xFE}, new int[] {0xC3, 0x28},
      new int[] {0x80}, new int[] {0xE2, 0x82, 0x28}, new int[] {0xF8, 0x88, 0x80, 0x80, 0x80},
      new int[] {0xC0, 0xAF}, new int[] {0xE0, 0x80, 0xAF}, new int[] {0xED, 0xA0, 0x80}, new int[] {0xED, 0xBF, 0xBF},
      new int[] {0xF4, 0x90, 0x80, 0x80}, new int[] {0xC3});

  private Hostile invalidUtf8(Random r) {
    String text = validJson(r);
    // Inside the first message's content string, where a decoder would not stop at a syntax error.
    int content = text.indexOf("\"content\":\"") + "\"content\":\"".length();
    int at = content + r.nextInt(3);
    Buffer body = Buffer.buffer(text.substring(0, at));
    for (int b : pick(r, NOT_UTF8)) {
      body.appendByte((byte) b);
    }
    body.appendString(text.substring(at));
    return json("invalid_utf8", body, 400, null);
  }

  private Hostile wrongContentType(Random r) {
    List<String> types = List.of("text/plain", "text/plain; charset=utf-8", "text/html", "application/xml",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/octet-stream",
        "image/png", "application/jsonx", "application/javascript", "json", "text/json-ish");
    return new Hostile("wrong_content_type", HttpMethod.POST, pick(r, types), validRequest(r).toBuffer(),
        validAuthorization, requestId(r), false, 415, null);
  }

  private Hostile oversize(Random r) {
    int size = maxBodyBytes + 1 + r.nextInt(8 * maxBodyBytes);
    JsonObject body = validRequest(r);
    body.getJsonArray("messages").getJsonObject(0).put("content", "x".repeat(size));
    return new Hostile("oversize", HttpMethod.POST, "application/json", body.toBuffer(), validAuthorization,
        requestId(r), r.nextBoolean(), 413, null);
  }

  private Hostile unknownAlias(Random r) {
    List<String> aliases = List.of("gpt-4o", "chat-primary-v2", "CHAT-PRIMARY", "chat-primary ", " chat-primary",
        "../../etc/passwd", "chat-primary\u0000", "模型", "chat-%70rimary", "${jndi:ldap://x/a}",
        "unknown-" + Long.toHexString(r.nextLong()), "z".repeat(2_000 + r.nextInt(3_000)));
    return json("unknown_alias", validRequest(r).put("model", pick(r, aliases)).toBuffer(), 404, "model");
  }

  private Hostile badClientKey(Random r) {
    String key = validAuthorization.substring("Bearer ".length());
    List<String> headers = new ArrayList<>(List.of("", "Bearer", "Bearer ", "Basic "
        + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)), key, "Token " + key,
        "Bearer " + key.toUpperCase(java.util.Locale.ROOT), "Bearer " + key + "x", "Bearer x" + key,
        "Bearer wrong-" + Long.toHexString(r.nextLong())));
    headers.add(null);
    return new Hostile("bad_client_key", HttpMethod.POST, "application/json", validRequest(r).toBuffer(),
        pick(r, headers), requestId(r), false, 401, null);
  }

  /** Fields whose feature the streaming-only route of {@code chat-cometapi} does not enable. */
  private Hostile featureNotEnabled(Random r) {
    JsonObject body = validRequest(r).put("model", "chat-cometapi");
    JsonObject tool = tool(new JsonObject().put("name", "lookup").put("parameters", new JsonObject()));
    switch (r.nextInt(6)) {
      case 0 -> body.put("tools", new JsonArray().add(tool));
      case 1 -> body.put("response_format", new JsonObject().put("type", "json_object"));
      case 2 -> body.put("logprobs", true);
      case 3 -> body.put("n", 2);
      case 4 -> body.put("stop", "END");
      default -> body.put("seed", 7);
    }
    return json("feature_not_enabled", body.toBuffer(), 400, null);
  }

  private Hostile wrongMethod(Random r) {
    HttpMethod method = pick(r, List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH));
    return new Hostile("wrong_method", method, "application/json", validRequest(r).toBuffer(), validAuthorization,
        requestId(r), false, 405, null);
  }

  private Hostile badNumberLiteral(Random r) {
    String literal = pick(r, List.of("NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "1e", "0x10", "1_000"));
    String field = pick(r, List.of("temperature", "top_p", "max_tokens", "n", "seed"));
    String valid = validJson(r);
    return json("bad_number_literal", Buffer.buffer(valid.substring(0, valid.length() - 1) + ",\"" + field + "\":"
        + literal + "}"), 400, null);
  }

  // --- building blocks ---

  /** A valid request: one to four messages, maybe some valid options. */
  private JsonObject validRequest(Random r) {
    JsonArray messages = new JsonArray();
    if (r.nextBoolean()) {
      messages.add(new JsonObject().put("role", "system").put("content", "Be brief."));
    }
    messages.add(new JsonObject().put("role", "user").put("content", "Summarize ticket " + r.nextInt(10_000) + "."));
    if (r.nextBoolean()) {
      messages.add(new JsonObject().put("role", "assistant").put("content", "Which ticket?"));
      messages.add(new JsonObject().put("role", "user").put("content", "The last one."));
    }
    JsonObject body = new JsonObject().put("model", ALIAS).put("messages", messages);
    if (r.nextBoolean()) {
      body.put("temperature", r.nextInt(21) / 10.0).put("max_tokens", 1 + r.nextInt(500));
    }
    if (r.nextBoolean()) {
      body.put("stream", false);
    }
    return body;
  }

  private String validJson(Random r) {
    return validRequest(r).encode();
  }

  private Hostile json(String kind, Buffer body, int status, String paramPrefix) {
    return new Hostile(kind, HttpMethod.POST, "application/json", body, validAuthorization, requestId(random),
        false, status, paramPrefix);
  }

  /** Sane, hostile or absent: the node must echo a sane one or replace it. */
  private static String requestId(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> null;
      case 1 -> "client-" + Long.toHexString(r.nextLong());
      case 2 -> "../../<script>alert(1)</script>";
      case 3 -> "x".repeat(129 + r.nextInt(400));
      default -> "id with spaces; and=\"quotes\"";
    };
  }

  private static JsonObject tool(JsonObject function) {
    return new JsonObject().put("type", "function").put("function", function);
  }

  private static JsonObject without(JsonObject body, String field) {
    JsonObject copy = body.copy();
    copy.remove(field);
    return copy;
  }

  private static List<Object> list(Object... values) {
    return java.util.Arrays.asList(values);
  }

  private static <T> T pick(Random r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }
}
