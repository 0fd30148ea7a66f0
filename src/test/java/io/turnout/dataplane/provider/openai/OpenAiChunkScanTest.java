package io.turnout.dataplane.provider.openai;

import static io.turnout.dataplane.provider.openai.Fixtures.call;
import static io.turnout.dataplane.provider.openai.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.turnout.dataplane.provider.ProviderFailure;
import io.turnout.dataplane.provider.StreamTranslator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chunk read from its bytes ({@link OpenAiChunkScan}) ends exactly as the same chunk read as a
 * tree: the same bytes relayed, the same usage, model and finish, the same failure and message.
 */
class OpenAiChunkScanTest {

  private static final String HEAD = "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,"
      + "\"model\":\"m-2025\",";
  private static final String USAGE = "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}";

  @ParameterizedTest
  @ValueSource(strings = {
      HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi \\u00e9 \\\"q\\\"\"},\"finish_reason\":null}]}",
      HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"é ✓ 😀\"},\"logprobs\":{\"a\":[1,{\"b\":null}]}}]}",
      HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
      HEAD + "\"choices\":[{\"delta\":null,\"finish_reason\":\"tool_calls\"},{\"delta\":{}}]}",
      HEAD + "\"choices\":[]," + USAGE + "}",
      HEAD + "\"choices\":[],\"usage\":null}",
      HEAD + "\"choices\":[{\"delta\":{\"content\":\"x\"}}]," + USAGE + ",\"system_fingerprint\":\"fp\"}",
      "{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"object\":\"chat.completion.chunk\",\"id\":\"c\",\"model\":7}",
      "{ \"id\" : \"c\" , \"object\" : \"chat.completion.chunk\" , \"choices\" : [ ] }",
      // what the tree path decides: errors, broken contracts, oddities the scan leaves to it
      "{\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit_exceeded\"}}",
      HEAD + "\"choices\":[],\"error\":\"not an object\"}",
      HEAD + "\"choices\":[{\"delta\":\"x\"}]}",
      HEAD + "\"choices\":[{\"delta\":{},\"finish_reason\":\"eos\"}]}",
      HEAD + "\"choices\":[{\"delta\":{},\"finish_reason\":1}]}",
      HEAD + "\"choices\":[1]}",
      HEAD + "\"choices\":{}}",
      "{\"id\":\" \",\"object\":\"chat.completion.chunk\",\"choices\":[]}",
      "{\"id\":1,\"object\":\"chat.completion.chunk\",\"choices\":[]}",
      "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[]}",
      "{\"object\":\"chat.completion.chunk\",\"choices\":[]}",
      "{\"id\":\"c\",\"object\":\"chat.completion.chunk\"}",
      HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":-3,\"completion_tokens\":2,\"total_tokens\":5}}",
      HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":3.0,\"completion_tokens\":2,\"total_tokens\":5}}",
      HEAD + "\"choices\":[],\"usage\":{\"prompt_tokens\":99999999999999999999,\"completion_tokens\":2,\"total_tokens\":5}}",
      HEAD + "\"choices\":[],\"usage\":{\"completion_tokens\":2,\"total_tokens\":5}}",
      HEAD + "\"choices\":[],\"usage\":[]}",
      HEAD + "\"choices\":[]," + USAGE + ",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}",
      "{\"id\":\"a\",\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"choices\":[]}",
      HEAD + "\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\",\"finish_reason\":null}]}",
      HEAD + "\"choices\":[]} trailing",
      HEAD + "\"choices\":[]}{}",
      HEAD + "/* c */\"choices\":[]}",
      " " + HEAD + "\"choices\":[]}",
      "\uFEFF" + HEAD + "\"choices\":[]}",
      HEAD + "\"choices\":[",
      "[1,2]", "null", "\"[DONE]\"", "[DONE]", "oops", "{}", ""})
  void readFromBytes_endsAsReadFromATree(String data) {
    assertSame(data.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"c3", "ff", "ed a0 80", "c0 af"})
  void invalidUtf8InAString_endsAsTheDecodedTextDid(String hex) {
    byte[] head = (HEAD + "\"choices\":[{\"delta\":{\"content\":\"").getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"}}]}".getBytes(StandardCharsets.UTF_8);
    String[] parts = hex.split(" ");
    byte[] data = new byte[head.length + parts.length + tail.length];
    System.arraycopy(head, 0, data, 0, head.length);
    for (int i = 0; i < parts.length; i++) {
      data[head.length + i] = (byte) Integer.parseInt(parts[i], 16);
    }
    System.arraycopy(tail, 0, data, head.length + parts.length, tail.length);
    assertNull(OpenAiChunkScan.of(data), "left to the tree path");
    assertSame(data);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aPlainChunkIsReadByTheScan(boolean finished) {
    String data = HEAD + "\"choices\":[{\"delta\":{},\"finish_reason\":" + (finished ? "\"length\"" : "null") + "}],"
        + USAGE + "}";
    OpenAiChunkScan scan = OpenAiChunkScan.of(data.getBytes(StandardCharsets.UTF_8));
    assertNotNull(scan);
    assertEquals(new OpenAiChunkScan("m-2025", io.turnout.dataplane.provider.Usage.provider(3, 2), finished, false),
        scan);
  }

  private static String done(StreamTranslator translator) {
    try {
      return "done=" + translator.onEvent(null, "[DONE]", chunk -> { });
    } catch (ProviderFailure failure) {
      return failure.getMessage();
    }
  }

  /** Both ways, each from a fresh stream, with or without the usage chunk relayed. */
  private static void assertSame(byte[] data) {
    for (boolean relayUsage : new boolean[] {true, false}) {
      assertEquals(outcome(data, relayUsage, false), outcome(data, relayUsage, true), new String(data,
          StandardCharsets.UTF_8));
    }
  }

  private static String outcome(byte[] data, boolean relayUsage, boolean bytes) {
    StreamTranslator translator = new OpenAiCodec(true, () -> 0L)
        .newStreamTranslator(call(json("request-stream.json"), true, relayUsage));
    List<String> relayed = new ArrayList<>();
    String result;
    try {
      boolean terminal = bytes
          ? translator.onEvent(null, data, chunk -> relayed.add(java.util.Arrays.toString(chunk.getBytes())))
          : translator.onEvent(null, new String(data, StandardCharsets.UTF_8),
              chunk -> relayed.add(java.util.Arrays.toString(chunk.getBytes())));
      // [DONE] next tells whether the chunk counted as finishing a choice
      result = "terminal=" + terminal + " then " + done(translator);
    } catch (ProviderFailure failure) {
      result = failure.errorClass() + " " + failure.getMessage() + " " + failure.upstreamStatus();
    } catch (RuntimeException other) {
      result = other.getClass().getName() + " " + other.getMessage();
    }
    return result + " relayed=" + relayed + " usage=" + translator.usage() + " model=" + translator.providerModel();
  }
}
