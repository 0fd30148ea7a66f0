package io.turnout.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turnout.testing.Sim;
import io.turnout.testing.TestHttp;
import io.turnout.testing.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad client input gets a 4xx in OpenAI's error shape, and nothing is sent upstream. */
@ExtendWith(VertxExtension.class)
class BadInputEndToEndTest {

  private static Sim sim;
  private static TestNode node;

  @BeforeAll
  static void start(Vertx vertx) {
    sim = Sim.start(vertx);
    String yaml = TestNode.config(sim, 1_000, 1_000, 2_000).replace("  instances: 1\n",
        "  instances: 1\n  max_body_bytes: 2048\n");
    node = TestNode.start(vertx, yaml);
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "not JSON                | {model:                                                         | 400 | invalid_json         |",
      "a JSON array            | []                                                              | 400 | invalid_json         |",
      "empty body              | ``                                                              | 400 | invalid_json         |",
      "missing messages        | {\"model\":\"chat-primary\"}                                    | 400 | invalid_request      | messages",
      "messages not a list     | {\"model\":\"chat-primary\",\"messages\":{}}                    | 400 | invalid_request      | messages",
      "model not a string      | {\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | model",
      "unknown role            | {\"model\":\"chat-primary\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]} | 400 | invalid_request | messages[0].role",
      "stream not boolean      | {\"model\":\"chat-primary\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | stream",
      "temperature too high    | {\"model\":\"chat-primary\",\"temperature\":3,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | temperature",
      "unknown alias           | {\"model\":\"gpt-5-unpinned\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 404 | model_not_found | model",
      "block comment           | {\"model\":\"chat-primary\" /* hidden */,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_json |",
      "line comment            | {\"model\":\"chat-primary\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} // tail | 400 | invalid_json |",
      "trailing content        | {\"model\":\"chat-primary\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} {} | 400 | invalid_json |",
      "trailing garbage        | {\"model\":\"chat-primary\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}x | 400 | invalid_json |",
      "NaN literal             | {\"model\":\"chat-primary\",\"temperature\":NaN,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_json |",
      "single quotes           | {'model':'chat-primary','messages':[{'role':'user','content':'x'}]} | 400 | invalid_json |",
      "unknown part type       | {\"model\":\"chat-primary\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\",\"video\":{}}]}]} | 400 | invalid_request | messages[0].content[0].type",
      "text part without text  | {\"model\":\"chat-primary\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]} | 400 | invalid_request | messages[0].content[0].text",
      "image part without url  | {\"model\":\"chat-primary\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]} | 400 | invalid_request | messages[0].content[0].image_url.url",
      "logit_bias not an object| {\"model\":\"chat-primary\",\"logit_bias\":[1],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | logit_bias",
      "logit_bias bad value    | {\"model\":\"chat-primary\",\"logit_bias\":{\"50256\":\"-100\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | logit_bias.50256",
      "logit_bias out of range | {\"model\":\"chat-primary\",\"logit_bias\":{\"50256\":101},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | logit_bias.50256",
      "metadata not strings    | {\"model\":\"chat-primary\",\"metadata\":{\"k\":1},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 400 | invalid_request | metadata.k",
  })
  void rejectedWithOpenAiErrorShape_andNothingSentUpstream(String name, String body, int status, String code,
      String param) {
    int upstreamBefore = upstreamRequests();

    TestHttp.Response response = node.http().send(HttpMethod.POST, "/v1/chat/completions", Buffer.buffer(body),
        MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"));

    assertEquals(status, response.status(), response.text());
    JsonObject error = response.json().getJsonObject("error");
    assertEquals(Set.of("message", "type", "param", "code"), error.fieldNames());
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals(code, error.getString("code"));
    assertEquals(param, error.getString("param"));
    assertNotNull(response.header("x-request-id"));
    assertEquals(upstreamBefore, upstreamRequests(), "nothing reached any provider");
  }

  @ParameterizedTest(name = "Content-Encoding {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"gzip", "deflate", "br", "gzip, identity"})
  void anEncodedBody_is415_notDecodedAndNotForwarded(String encoding) {
    int upstreamBefore = upstreamRequests();

    TestHttp.Response response = node.http().send(HttpMethod.POST, "/v1/chat/completions",
        ChatCompletionsEndToEndTest.userRequest("chat-primary").toBuffer(),
        MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json").add("content-encoding", encoding));

    assertEquals(415, response.status(), response.text());
    assertEquals("unsupported_content_encoding", response.json().getJsonObject("error").getString("code"));
    assertEquals(upstreamBefore, upstreamRequests());
  }

  @Test
  void anIdentityEncodedBody_isServed() {
    TestHttp.Response response = node.http().send(HttpMethod.POST, "/v1/chat/completions",
        ChatCompletionsEndToEndTest.userRequest("chat-primary").toBuffer(),
        MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json").add("content-encoding", "identity"));

    assertEquals(200, response.status(), response.text());
  }

  @Test
  void bodyOverTheLimit_is413InOpenAiShape() {
    String big = "x".repeat(4_096);
    JsonObject request = ChatCompletionsEndToEndTest.userRequest("chat-primary").put("padding", big);
    int upstreamBefore = upstreamRequests();

    TestHttp.Response response = node.http().chat(request);

    assertEquals(413, response.status());
    assertEquals("request_too_large", response.json().getJsonObject("error").getString("code"));
    assertTrue(response.json().getJsonObject("error").getString("message").contains("2048"));
    assertEquals(upstreamBefore, upstreamRequests());
  }

  @Test
  void chunkedBodyOverTheLimit_is413_evenWithoutContentLength(Vertx vertx) {
    // A raw socket, so the body goes out chunked with no Content-Length at all.
    io.vertx.core.net.NetSocket socket = vertx.createNetClient().connect(node.port(), "127.0.0.1").await();
    io.vertx.core.Promise<String> head = io.vertx.core.Promise.promise();
    Buffer received = Buffer.buffer();
    socket.handler(data -> {
      received.appendBuffer(data);
      if (received.toString().contains("\r\n\r\n")) {
        head.tryComplete(received.toString());
      }
    });
    String chunk = "{\"model\":\"chat-primary\",\"padding\":\"" + "y".repeat(4_096) + "\"}";
    socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");

    String response = head.future().await();

    assertTrue(response.startsWith("HTTP/1.1 413"), response);
    socket.close();
  }

  private static int upstreamRequests() {
    return sim.stats("primary").getInteger("requests") + sim.stats("cometapi").getInteger("requests")
        + sim.stats("claude").getInteger("requests");
  }
}
