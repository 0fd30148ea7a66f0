package io.turnout.dataplane.provider;

import io.turnout.config.ConfigNode;
import io.turnout.config.SecretResolver;
import io.turnout.dataplane.provider.ProviderApproval;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the node knows about one upstream provider, read from {@code providers.<name>} in the
 * node config. Nothing about a provider is hard-coded: URL, path, auth header and format, extra
 * headers and timeouts all come from here.
 *
 * @param apiKey the resolved credential; never logged ({@link #toString()} redacts it)
 * @param approval what the provider is approved for under a data policy, or null (approved for
 *     nothing once a {@code data_policy} is configured)
 * @param maxStreamMs the longest a stream may flow once its first byte arrived
 *     ({@code timeouts.max_stream_ms}); before that, {@code total_ms} and the route's deadline apply
 */
public record ProviderOptions(
    String name,
    ProviderKind kind,
    URI baseUrl,
    String path,
    String authHeader,
    String authScheme,
    String apiKey,
    Map<String, String> headers,
    long connectTimeoutMs,
    long firstByteTimeoutMs,
    long streamIdleTimeoutMs,
    long totalTimeoutMs,
    int maxConnections,
    int keepAliveSeconds,
    boolean requestStreamUsage,
    int defaultMaxTokens,
    ProviderApproval approval,
    long maxStreamMs) {

  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
  public static final long DEFAULT_FIRST_BYTE_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_STREAM_IDLE_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_TOTAL_TIMEOUT_MS = 120_000;
  /** Ten minutes: a long, healthy generation is not cut; a stream that never ends is. */
  public static final long DEFAULT_MAX_STREAM_MS = 600_000;
  /** Connections per provider per node, shared out among the HTTP verticle instances. */
  public static final int DEFAULT_MAX_CONNECTIONS = 128;
  public static final int DEFAULT_KEEP_ALIVE_SECONDS = 60;
  public static final int DEFAULT_MAX_TOKENS = 4096;
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  public ProviderOptions {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** The full URL of the chat endpoint: base URL joined with the path. */
  public String endpoint() {
    String base = baseUrl.toString();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
  }

  /** The request URI sent on the connection: the base URL's own path joined with {@link #path()}. */
  public String requestUri() {
    String basePath = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    if (basePath.endsWith("/")) {
      basePath = basePath.substring(0, basePath.length() - 1);
    }
    return basePath + path;
  }

  public boolean ssl() {
    return "https".equals(baseUrl.getScheme());
  }

  public int port() {
    return baseUrl.getPort() != -1 ? baseUrl.getPort() : ssl() ? 443 : 80;
  }

  /** The value of the auth header: {@code "<scheme> <key>"}, or the bare key when the scheme is empty. */
  public String authValue() {
    return authScheme.isEmpty() ? apiKey : authScheme + " " + apiKey;
  }

  @Override
  public String toString() {
    return "ProviderOptions[" + name + ", " + kind.wireName() + ", " + endpoint() + ", key=<redacted>]";
  }

  /** Reads {@code providers.<name>}; every error names the field path. */
  public static ProviderOptions fromConfig(String name, ConfigNode node, SecretResolver secrets) {
    ProviderKind kind = node.enumValue("kind", null, ProviderKind::fromWireName, "openai, anthropic");
    URI baseUrl = parseBaseUrl(node);
    String defaultPath = kind == ProviderKind.ANTHROPIC ? "/v1/messages" : "/v1/chat/completions";
    String path = node.optString("path", defaultPath);
    if (!path.startsWith("/")) {
      throw node.error("path", "must start with '/'");
    }
    ConfigNode auth = node.child("auth");
    String authHeader = auth.optString("header", kind == ProviderKind.ANTHROPIC ? "x-api-key" : "Authorization");
    Object scheme = auth.raw("scheme");
    // Read raw because an empty scheme ("") is valid and means "send the bare key".
    if (scheme != null && !(scheme instanceof String)) {
      throw auth.error("scheme", "must be a string");
    }
    String authScheme = scheme == null ? (kind == ProviderKind.ANTHROPIC ? "" : "Bearer") : (String) scheme;
    String apiKey = secrets.resolve(auth, "key");
    auth.finish();
    Map<String, String> headers = new LinkedHashMap<>(node.stringMap("headers"));
    if (kind == ProviderKind.ANTHROPIC) {
      String version = node.optString("anthropic_version", DEFAULT_ANTHROPIC_VERSION);
      // Header names are case-insensitive: an operator's "Anthropic-Version" must not get a second copy.
      if (headers.keySet().stream().noneMatch("anthropic-version"::equalsIgnoreCase)) {
        headers.put("anthropic-version", version);
      }
    } else if (node.has("anthropic_version")) {
      throw node.error("anthropic_version", "only applies to kind anthropic");
    }
    for (String header : headers.keySet()) {
      if (header.equalsIgnoreCase(authHeader)) {
        throw node.error("headers", "must not set the auth header '" + header + "'; use auth.key (a secret reference)");
      }
    }
    ConfigNode timeouts = node.child("timeouts");
    long connect = timeouts.longValue("connect_ms", DEFAULT_CONNECT_TIMEOUT_MS, 1, 600_000);
    long firstByte = timeouts.longValue("first_byte_ms", DEFAULT_FIRST_BYTE_TIMEOUT_MS, 1, 3_600_000);
    long idle = timeouts.longValue("stream_idle_ms", DEFAULT_STREAM_IDLE_TIMEOUT_MS, 1, 3_600_000);
    long total = timeouts.longValue("total_ms", DEFAULT_TOTAL_TIMEOUT_MS, 1, 3_600_000);
    long maxStream = timeouts.longValue("max_stream_ms", DEFAULT_MAX_STREAM_MS, 1, 86_400_000);
    timeouts.finish();
    ConfigNode pool = node.child("pool");
    int maxConnections = pool.intValue("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 100_000);
    int keepAlive = pool.intValue("keep_alive_s", DEFAULT_KEEP_ALIVE_SECONDS, 1, 3_600);
    pool.finish();
    boolean streamUsage = node.bool("stream_usage", kind == ProviderKind.OPENAI);
    int maxTokens = node.intValue("default_max_tokens", DEFAULT_MAX_TOKENS, 1, 1_000_000);
    ProviderApproval approval = ProviderApproval.fromConfig(node);
    node.finish();
    return new ProviderOptions(name, kind, baseUrl, path, authHeader, authScheme, apiKey, headers, connect,
        firstByte, idle, total, maxConnections, keepAlive, streamUsage, maxTokens, approval, maxStream);
  }

  private static URI parseBaseUrl(ConfigNode node) {
    String value = node.string("base_url");
    try {
      URI uri = new URI(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw node.error("base_url", "must be an absolute http(s) URL");
      }
      if (uri.getRawUserInfo() != null) {
        throw node.error("base_url", "must not carry credentials; use auth.key (a secret reference)");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw node.error("base_url", "must not have a query or fragment");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw node.error("base_url", "is not a valid URL");
    }
  }
}
