package io.turnout.dataplane.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Response schemas judged by vertx-json-schema: what is reported, where, and what never is. */
class ResponseSchemaTest {

  private static final JsonObject TICKET = new JsonObject("""
      {"type": "object", "additionalProperties": false, "required": ["status"],
       "properties": {
         "status": {"type": "string", "enum": ["open", "closed"]},
         "priority": {"type": "integer", "minimum": 1, "maximum": 5},
         "tags": {"type": "array", "maxItems": 2, "items": {"type": "string", "maxLength": 3}},
         "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"}}}
      """);

  private static List<String> problems(JsonObject schema, String answer) {
    return ResponseSchema.compile(schema).problems(new JsonObject(answer));
  }

  @Test
  void aMatchingAnswerHasNoProblems() {
    assertEquals(List.of(), problems(TICKET, "{\"status\": \"open\", \"priority\": 2, \"tags\": [\"a\"]}"));
  }

  @Test
  void eachProblemNamesTheInstanceLocationAndTheKeyword_withoutTheWrappersAbove_it() {
    assertEquals(List.of("$.tags: more than 2 items", "$.tags[0]: more than 3 characters",
        "$.tags[1]: expected string, got number"),
        problems(TICKET, "{\"status\": \"open\", \"tags\": [\"abcd\", 1, \"a\"]}"));
  }

  @Test
  void aDeclaredPropertyFailingItsOwnSchemaIsNotAlsoReportedAsNotAllowed() {
    assertEquals(List.of("$: missing required property 'status'", "$.priority: above the maximum",
        "$: property 'colour' is not allowed"), problems(TICKET, "{\"priority\": 9, \"colour\": \"red\"}"));
  }

  @Test
  void anAnyOfThatNothingMatchesIsOneProblem_notOnePerBranch() {
    JsonObject schema = new JsonObject("""
        {"type": "object", "properties": {"id": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}
        """);

    assertEquals(List.of("$.id: matches none of anyOf"), problems(schema, "{\"id\": true}"));
  }

  @Test
  void keywordsBeyondTheOldSubsetAreCheckedToo() {
    assertEquals(List.of("$.code: fails pattern"), problems(TICKET, "{\"status\": \"open\", \"code\": \"abc\"}"));
  }

  @Test
  void problemsNeverQuoteTheAnswersValues() {
    List<String> found = problems(TICKET,
        "{\"status\": \"SECRET-STATUS\", \"priority\": 987654, \"code\": \"SECRET-CODE\"}");

    assertEquals(3, found.size(), found.toString());
    String all = String.join(" ", found);
    assertFalse(all.contains("SECRET") || all.contains("987654"), all);
  }

  @Test
  void atMostFiveProblemsAreReported() {
    JsonObject schema = new JsonObject().put("type", "object").put("additionalProperties", false);

    assertEquals(5, problems(schema, "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7}").size());
  }

  @Test
  void aSchemaThatCannotBeApplied_judgesNothing_ratherThanFailTheProvidersAnswer() {
    JsonObject dangling = new JsonObject().put("$ref", "#/$defs/missing");

    assertEquals(List.of(), problems(dangling, "{\"status\": \"open\"}"));
  }

  @Test
  void theCacheCompilesEachDistinctSchemaOnce_andForgetsTheLeastRecentlyUsed() {
    SchemaCache cache = new SchemaCache(2);
    ResponseSchema first = cache.get(TICKET);

    assertSame(first, cache.get(TICKET.copy()), "an equal schema from another request");
    ResponseSchema other = cache.get(new JsonObject().put("type", "string"));
    cache.get(TICKET);
    cache.get(new JsonObject().put("type", "integer"));

    assertEquals(2, cache.size());
    assertSame(first, cache.get(TICKET), "recently used, kept");
    assertNotSame(other, cache.get(new JsonObject().put("type", "string")), "least recently used, compiled again");
    assertTrue(cache.get(new JsonObject().put("type", "string")).problems(new JsonArray()).size() == 1);
  }
}
