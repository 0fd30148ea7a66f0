package io.turnout.controlplane.notify;

import io.turnout.config.ConfigNode;
import io.turnout.config.SecretResolver;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.Set;

/**
 * One webhook of {@code notifications.webhooks.<name>}.
 *
 * @param url where deliveries are POSTed ({@code http} or {@code https}, no credentials or fragment)
 * @param urlIsSecret whether the URL came from a secret reference (a Slack webhook's path is its
 *     credential): then not even its path is logged
 * @param secret the resolved signing secret, or null: never logged, never in a payload
 * @param events the events delivered (all when the config names none)
 * @param timeoutMs one attempt's limit, connection to the end of the response
 * @param maxAttempts attempts per notification, the first included
 * @param queueSize notifications waiting to be delivered; beyond it the oldest is dropped
 * @param backoffMs the first retry's delay; each further retry doubles it, with jitter, up to
 *     {@code maxBackoffMs}
 */
public record WebhookOptions(String name, URI url, boolean urlIsSecret, Format format, String secret, Set<NotifyEvent> events,
    long timeoutMs, int maxAttempts, int queueSize, long backoffMs, long maxBackoffMs) {

  /** The payload shape. */
  public enum Format { GENERIC, SLACK }

  public static final long DEFAULT_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final int DEFAULT_QUEUE_SIZE = 1_000;
  public static final long DEFAULT_BACKOFF_MS = 1_000;
  public static final long DEFAULT_MAX_BACKOFF_MS = 60_000;

  public WebhookOptions {
    events = Set.copyOf(events);
  }

  /** Reads one webhook; errors name the field path, never the secret's value. */
  public static WebhookOptions fromConfig(String name, ConfigNode node, SecretResolver secrets) {
    String text = node.string("url");
    boolean urlIsSecret = text.startsWith("${") || text.startsWith("file:");
    URI url = url(node, urlIsSecret ? secrets.resolve(node, "url") : text);
    Format format = node.enumValue("format", Format.GENERIC, v -> switch (v) {
      case "generic" -> Format.GENERIC;
      case "slack" -> Format.SLACK;
      default -> throw new IllegalArgumentException(v);
    }, "generic, slack");
    String secret = secrets.resolveOptional(node, "secret");
    Set<NotifyEvent> events = EnumSet.noneOf(NotifyEvent.class);
    java.util.List<String> named = node.stringList("events");
    for (int i = 0; i < named.size(); i++) {
      try {
        events.add(NotifyEvent.fromWireName(named.get(i)));
      } catch (IllegalArgumentException e) {
        throw new io.turnout.config.ConfigException(node.file(), node.pathOf("events") + "[" + i + "]",
            "must be one of " + NotifyEvent.allowed() + ", got '" + named.get(i) + "'");
      }
    }
    if (node.has("events") && events.isEmpty()) {
      throw node.error("events", "must name at least one event (leave it out for all)");
    }
    if (events.isEmpty()) {
      events = EnumSet.allOf(NotifyEvent.class);
    }
    long timeout = node.longValue("timeout_ms", DEFAULT_TIMEOUT_MS, 1, 300_000);
    int attempts = node.intValue("max_attempts", DEFAULT_MAX_ATTEMPTS, 1, 100);
    int queue = node.intValue("queue_size", DEFAULT_QUEUE_SIZE, 1, 1_000_000);
    long backoff = node.longValue("backoff_ms", DEFAULT_BACKOFF_MS, 1, 3_600_000);
    long maxBackoff = node.longValue("max_backoff_ms", Math.max(backoff, DEFAULT_MAX_BACKOFF_MS), backoff, 86_400_000);
    node.finish();
    return new WebhookOptions(name, url, urlIsSecret, format, secret, events, timeout, attempts, queue, backoff, maxBackoff);
  }

  /**
   * The URL as it may be logged: scheme, host, port and path, never the query (it may hold a
   * token), and not the path either when the URL is a secret reference.
   */
  public String redactedUrl() {
    String origin = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    return urlIsSecret ? origin + "/…" : origin + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  /** Errors about a URL from a secret reference never quote it. */
  private static URI url(ConfigNode node, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw node.error("url", "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw node.error("url", "must be an http:// or https:// URL with a host");
    }
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw node.error("url", "must not hold credentials or a fragment (sign with 'secret' instead)");
    }
    return uri;
  }
}
