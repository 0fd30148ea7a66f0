package io.turnout.dataplane.provider.anthropic;

import static io.turnout.dataplane.provider.anthropic.RequestFields.path;
import static io.turnout.dataplane.provider.anthropic.RequestFields.reqString;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** OpenAI {@code image_url} content parts to Anthropic image blocks. */
final class AnthropicImages {

  private static final String BASE64_MARKER = ";base64,";

  private AnthropicImages() {}

  /**
   * An inline {@code data:} URL becomes a base64 source, an http(s) URL a url source. OpenAI's
   * {@code detail} hint has no Anthropic equivalent and is dropped: it tunes cost, not meaning.
   * Errors name the path only; the URL may carry the user's image.
   */
  static JsonObject imageBlock(JsonObject part, String at) {
    JsonObject imageUrl = RequestFields.optObject(part, "image_url", at);
    if (imageUrl == null) {
      throw AnthropicFailures.invalid(path(at, "image_url"), "missing " + path(at, "image_url"));
    }
    String urlPath = path(path(at, "image_url"), "url");
    String url = reqString(imageUrl, "url", path(at, "image_url"));
    return new JsonObject().put("type", "image").put("source", source(url, urlPath));
  }

  private static JsonObject source(String url, String urlPath) {
    String lower = url.substring(0, Math.min(url.length(), 8)).toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return new JsonObject().put("type", "url").put("url", url);
    }
    if (!lower.startsWith("data:")) {
      throw AnthropicFailures.unsupported(urlPath, urlPath + " must be an http(s) URL or a data: URL");
    }
    int marker = url.indexOf(BASE64_MARKER);
    if (marker < 0) {
      throw AnthropicFailures.unsupported(urlPath, urlPath + " must be a base64 data: URL");
    }
    // data:<media type>[;<parameter>...];base64,<data>: the media type ends at the first ';'.
    String header = url.substring("data:".length(), marker);
    int semicolon = header.indexOf(';');
    String mediaType = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
    String data = url.substring(marker + BASE64_MARKER.length());
    if (mediaType.isEmpty() || data.isEmpty()) {
      throw AnthropicFailures.invalid(urlPath, urlPath + " is not a complete data: URL");
    }
    return new JsonObject().put("type", "base64").put("media_type", mediaType).put("data", data);
  }
}
