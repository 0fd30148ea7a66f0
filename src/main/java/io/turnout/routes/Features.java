package io.turnout.routes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;

/**
 * Reads which {@link Feature}s a chat request relies on. Pure and total: it never throws on an
 * odd shape (that is {@code ChatRequestCheck}'s job), it only looks for what a provider would have
 * to support. The rule is "the request sends the parameter": an explicit {@code tool_choice} or
 * {@code parallel_tool_calls} counts even when it states the default, because the provider must
 * still accept the field.
 */
public final class Features {

  private Features() {}

  /** The features {@code request} (an OpenAI chat-completions body) relies on. */
  public static EnumSet<Feature> of(JsonObject request) {
    EnumSet<Feature> features = ofFields(request);
    if (request != null) {
      contentParts(request.getValue("messages"), features);
    }
    return features;
  }

  /**
   * The features {@code request}'s top-level fields rely on: all but those of its messages' content
   * parts, which a walk over the parts adds with {@link #part}.
   */
  public static EnumSet<Feature> ofFields(JsonObject request) {
    EnumSet<Feature> features = EnumSet.noneOf(Feature.class);
    if (request == null) {
      return features;
    }
    if (Boolean.TRUE.equals(request.getValue("stream"))) {
      features.add(Feature.STREAM);
    }
    if (request.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()) {
      features.add(Feature.TOOLS);
    }
    addIfPresent(request, "tool_choice", Feature.TOOL_CHOICE, features);
    addIfPresent(request, "parallel_tool_calls", Feature.PARALLEL_TOOL_CALLS, features);
    addIfPresent(request, "seed", Feature.SEED, features);
    responseFormat(request.getValue("response_format"), features);
    if (Boolean.TRUE.equals(request.getValue("logprobs")) || request.getValue("top_logprobs") != null) {
      features.add(Feature.LOGPROBS);
    }
    if (request.getValue("n") instanceof Number n && n.doubleValue() > 1) {
      features.add(Feature.MULTIPLE_CHOICES);
    }
    Object stop = request.getValue("stop");
    if (stop instanceof String s && !s.isEmpty() || stop instanceof JsonArray list && !list.isEmpty()) {
      features.add(Feature.STOP);
    }
    if (request.getValue("modalities") instanceof JsonArray modalities && modalities.contains("audio")
        || request.getValue("audio") instanceof JsonObject) {
      features.add(Feature.AUDIO);
    }
    return features;
  }

  /** Adds what a content part of type {@code type} relies on. */
  public static void part(Object type, EnumSet<Feature> features) {
    if ("image_url".equals(type)) {
      features.add(Feature.VISION);
    } else if ("input_audio".equals(type)) {
      features.add(Feature.AUDIO);
    }
  }

  private static void addIfPresent(JsonObject request, String key, Feature feature, EnumSet<Feature> features) {
    if (request.getValue(key) != null) {
      features.add(feature);
    }
  }

  private static void responseFormat(Object value, EnumSet<Feature> features) {
    if (value instanceof JsonObject format) {
      Object type = format.getValue("type");
      if ("json_object".equals(type)) {
        features.add(Feature.RESPONSE_FORMAT);
      } else if ("json_schema".equals(type)) {
        features.add(Feature.JSON_SCHEMA);
      }
    }
  }

  private static void contentParts(Object messages, EnumSet<Feature> features) {
    if (!(messages instanceof JsonArray list)) {
      return;
    }
    for (Object message : list) {
      if (message instanceof JsonObject m && m.getValue("content") instanceof JsonArray parts) {
        for (Object part : parts) {
          if (part instanceof JsonObject p) {
            part(p.getValue("type"), features);
          }
        }
      }
    }
  }
}
