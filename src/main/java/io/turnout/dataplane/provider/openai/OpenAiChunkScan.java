package io.turnout.dataplane.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.turnout.dataplane.provider.Usage;
import io.turnout.dataplane.provider.UsageSource;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads what the node needs from one OpenAI stream chunk straight from its bytes, without a tree:
 * a streaming parse (Vert.x's own JSON factory) that checks what {@link OpenAiResponseCheck#checkChunk}
 * checks and notes the model, the usage, whether a choice finished and whether the chunk has no
 * choices. It only ever says yes: anything it does not accept as plainly valid (invalid UTF-8, an
 * {@code error} field, a repeated field it reads, a failed check, a syntax error) returns null,
 * and the caller decides from the tree as before, with the same failure and message.
 *
 * @param model the chunk's {@code model} when it is a string, else null
 * @param usage its {@code usage}, {@link Usage#NONE} when absent or null
 * @param finished whether some choice has a {@code finish_reason}
 * @param usageOnly whether {@code choices} is empty
 */
record OpenAiChunkScan(String model, Usage usage, boolean finished, boolean usageOnly) {

  /** The chunk's facts, or null when the tree must decide. */
  static OpenAiChunkScan of(byte[] data) {
    // An object from its first byte: no BOM, no leading space, nothing Jackson's encoding detection reads as UTF-16/32.
    if (data.length < 4 || data[0] != '{' || data[1] == 0 || data[2] == 0 || data[3] == 0
        || !ByteBufUtil.isText(Unpooled.wrappedBuffer(data), StandardCharsets.UTF_8)) {
      return null;
    }
    try (JsonParser parser = JacksonCodec.createParser(Buffer.buffer(data))) {
      OpenAiChunkScan scan = root(parser);
      return scan != null && parser.nextToken() == null ? scan : null;
    } catch (IOException | RuntimeException notPlainlyValid) {
      return null;
    }
  }

  private static OpenAiChunkScan root(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    String id = null;
    String object = null;
    boolean modelSeen = false;
    String model = null;
    int choices = -1;
    boolean finished = false;
    Usage usage = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "id", "object" -> {
          if (value != JsonToken.VALUE_STRING || ("id".equals(field) ? id : object) != null) {
            return null;
          }
          if ("id".equals(field)) {
            id = parser.getText();
          } else {
            object = parser.getText();
          }
        }
        case "model" -> {
          if (modelSeen) {
            return null;
          }
          modelSeen = true;
          model = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          parser.skipChildren();
        }
        case "choices" -> {
          if (choices >= 0 || value != JsonToken.START_ARRAY) {
            return null;
          }
          choices = 0;
          JsonToken element;
          while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            int finish = choice(parser, element);
            if (finish < 0) {
              return null;
            }
            finished |= finish == 1;
            choices++;
          }
        }
        case "usage" -> {
          if (usage != null) {
            return null;
          }
          usage = value == JsonToken.VALUE_NULL ? Usage.NONE : usage(parser, value);
          if (usage == null) {
            return null;
          }
        }
        case "error" -> {
          return null;
        }
        default -> parser.skipChildren();
      }
    }
    if (parser.currentToken() != JsonToken.END_OBJECT || id == null || id.isBlank()
        || !"chat.completion.chunk".equals(object) || choices < 0) {
      return null;
    }
    return new OpenAiChunkScan(model, usage == null ? Usage.NONE : usage, finished, choices == 0);
  }

  /** One choice: 1 when it finished, 0 when not, -1 when the tree must decide. */
  private static int choice(JsonParser parser, JsonToken start) throws IOException {
    if (start != JsonToken.START_OBJECT) {
      return -1;
    }
    boolean deltaSeen = false;
    boolean finishSeen = false;
    int finished = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("delta".equals(field)) {
        if (deltaSeen || (value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL)) {
          return -1;
        }
        deltaSeen = true;
        parser.skipChildren();
      } else if ("finish_reason".equals(field)) {
        if (finishSeen) {
          return -1;
        }
        finishSeen = true;
        if (value == JsonToken.VALUE_STRING && OpenAiResponseCheck.FINISH_REASONS.contains(parser.getText())) {
          finished = 1;
        } else if (value != JsonToken.VALUE_NULL) {
          return -1;
        }
      } else {
        parser.skipChildren();
      }
    }
    return finished;
  }

  /** A usage object whose three counts are non-negative integers that fit a long, or null. */
  private static Usage usage(JsonParser parser, JsonToken start) throws IOException {
    if (start != JsonToken.START_OBJECT) {
      return null;
    }
    long[] counts = {-1, -1, -1};
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      int at = switch (field) {
        case "prompt_tokens" -> 0;
        case "completion_tokens" -> 1;
        case "total_tokens" -> 2;
        default -> -1;
      };
      if (at < 0) {
        parser.skipChildren();
        continue;
      }
      if (counts[at] >= 0 || value != JsonToken.VALUE_NUMBER_INT
          || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER || parser.getLongValue() < 0) {
        return null;
      }
      counts[at] = parser.getLongValue();
    }
    if (counts[0] < 0 || counts[1] < 0 || counts[2] < 0) {
      return null;
    }
    return new Usage(counts[0], counts[1], counts[2], UsageSource.PROVIDER);
  }
}
