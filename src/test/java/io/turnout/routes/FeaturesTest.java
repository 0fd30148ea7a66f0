package io.turnout.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Features#of}: which features a chat request relies on. */
class FeaturesTest {

  private static final String USER = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  @ParameterizedTest(name = "{0} -> [{1}]")
  @CsvSource(delimiter = '|', textBlock = """
      {}                                                              |
      {"stream":true}                                                 | stream
      {"stream":false}                                                |
      {"tools":[{"type":"function","function":{"name":"f"}}]}         | tools
      {"tools":[]}                                                    |
      {"tool_choice":"auto"}                                          | tool_choice
      {"tool_choice":{"type":"function","function":{"name":"f"}}}     | tool_choice
      {"parallel_tool_calls":false}                                   | parallel_tool_calls
      {"response_format":{"type":"json_object"}}                      | response_format
      {"response_format":{"type":"json_schema","json_schema":{}}}     | json_schema
      {"response_format":{"type":"text"}}                             |
      {"logprobs":true}                                               | logprobs
      {"logprobs":false}                                              |
      {"top_logprobs":0}                                              | logprobs
      {"n":2}                                                         | multiple_choices
      {"n":1}                                                         |
      {"stop":"END"}                                                  | stop
      {"stop":["a","b"]}                                              | stop
      {"stop":[]}                                                     |
      {"seed":42}                                                     | seed
      {"modalities":["text","audio"],"audio":{"voice":"alloy"}}       | audio
      {"modalities":["text"]}                                         |
      {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:,"}}]}]}  | vision
      {"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}          | audio
      {"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}                      |
      {"stream":true,"tools":[{}],"tool_choice":"required","seed":1,"n":3}                          | stream tools tool_choice multiple_choices seed
      """)
  void readsFeaturesFromTheRequest(String json, String expected) {
    assertEquals(wire(expected), Features.of(new JsonObject(json)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"messages":"not a list","stream":"yes"}
      {"messages":[null,1,{"content":"text"},{"content":[null,"x",{"type":3}]}]}
      {"response_format":"json","n":"many","stop":5,"modalities":"audio","tools":{}}
      """)
  void oddShapesYieldNoFeaturesAndNeverThrow(String json) {
    assertEquals(EnumSet.noneOf(Feature.class), Features.of(new JsonObject(json)));
  }

  @Test
  void aPlainChatRequestNeedsNothing() {
    assertEquals(Set.of(), Features.of(new JsonObject("{\"model\":\"m\"," + USER + ",\"temperature\":0.2}")));
    assertEquals(Set.of(), Features.of(null));
  }

  @Test
  void everyFeatureHasAWireNameAndAParam() {
    for (Feature f : Feature.values()) {
      assertEquals(f, Feature.fromWireName(f.wireName()));
    }
    assertEquals("n", Feature.MULTIPLE_CHOICES.param());
    assertEquals("response_format", Feature.JSON_SCHEMA.param());
  }

  private static Set<Feature> wire(String names) {
    if (names == null) {
      return EnumSet.noneOf(Feature.class);
    }
    return Arrays.stream(names.trim().split(" +")).map(Feature::fromWireName)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Feature.class)));
  }
}
