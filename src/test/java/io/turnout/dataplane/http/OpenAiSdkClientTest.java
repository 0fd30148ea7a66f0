package io.turnout.dataplane.http;

import static io.turnout.testing.Faults.fault;
import static io.turnout.testing.Faults.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.turnout.testing.Sim;
import io.turnout.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The official OpenAI Java SDK, unmodified, as a client of the node. */
@ExtendWith(VertxExtension.class)
class OpenAiSdkClientTest {

  private static Sim sim;
  private static TestNode node;
  private static OpenAIClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    sim = Sim.start(vertx);
    node = TestNode.start(vertx, sim);
    // Only configuration: where the node is, and no SDK retries so each test sees one attempt.
    client = OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + node.port() + "/v1")
        .apiKey("sk-client-key-for-the-node")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    node.stop();
  }

  @BeforeEach
  void resetSim() {
    sim.reset("primary");
    sim.reset("claude");
  }

  @Test
  void completion() {
    ChatCompletion completion = client.chat().completions().create(params("chat-primary"));

    assertTrue(completion.choices().get(0).message().content().orElseThrow().startsWith("Simulated answer"));
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
    assertTrue(completion.usage().orElseThrow().totalTokens() > 0);
  }

  @Test
  void completionFromTheAnthropicAdapter() {
    ChatCompletion completion = client.chat().completions().create(params("chat-claude")).validate();

    assertTrue(completion.choices().get(0).message().content().orElseThrow().contains("claude"));
  }

  @Test
  void streamedCompletionWithUsage() {
    ChatCompletionCreateParams params = params("chat-primary").toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      chunks = stream.stream().toList();
    }

    StringBuilder content = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(content::append)));
    assertTrue(content.toString().startsWith("Simulated answer"), content.toString());
    assertTrue(chunks.get(chunks.size() - 1).usage().isPresent(), "include_usage honoured");
  }

  @Test
  void upstream429_isTheSdksRateLimitError() {
    sim.nextFault("primary", status(429).put("retry_after_s", 1));

    RateLimitException error = assertThrows(RateLimitException.class,
        () -> client.chat().completions().create(params("chat-primary")));

    assertEquals(429, error.statusCode());
    assertEquals("rate_limited", error.headers().values("x-turnout-error-class").get(0));
  }

  @Test
  void streamCutMidway_raisesInTheSdkInsteadOfEndingCleanly() {
    sim.nextFault("primary", fault("cut").put("after_chunks", 2));

    assertThrows(OpenAIException.class, () -> {
      try (StreamResponse<ChatCompletionChunk> stream =
               client.chat().completions().createStreaming(params("chat-primary"))) {
        stream.stream().forEach(chunk -> { });
      }
    });
  }

  private static ChatCompletionCreateParams params(String alias) {
    return ChatCompletionCreateParams.builder()
        .model(alias)
        .addSystemMessage("You are a concise support assistant. Do not include secrets.")
        .addUserMessage("Summarize the support ticket: customer reports delayed webhook delivery after a deploy.")
        .temperature(0.2)
        .maxCompletionTokens(200)
        .build();
  }
}
