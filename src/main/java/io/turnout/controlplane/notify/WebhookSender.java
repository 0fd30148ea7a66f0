package io.turnout.controlplane.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.turnout.controlplane.notify.WebhookMetrics.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one webhook's notifications, one at a time and in order, without ever blocking the
 * caller: {@link #offer} only queues. Each attempt is bounded by {@code timeout_ms}; network
 * errors, timeouts, 429 and 5xx are retried with {@link Backoff} up to {@code max_attempts};
 * other statuses end the notification. Failures are logged with the webhook's name, the status
 * and the attempt, and the URL without its query; never the secret. Runs on the context that
 * created it (the notification verticle's).
 */
final class WebhookSender {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

  private final Vertx vertx;
  private final WebhookOptions options;
  private final WebhookQueue queue;
  private final WebhookMetrics metrics;
  private final Backoff backoff;
  private final HttpClientAgent client;
  private boolean busy;
  private boolean closed;
  /** Set by {@link #close}: what is queued is still delivered, nothing new is taken. */
  private io.vertx.core.Promise<Void> drained;

  WebhookSender(Vertx vertx, WebhookOptions options, MeterRegistry registry) {
    this.vertx = vertx;
    this.options = options;
    this.queue = new WebhookQueue(options.queueSize());
    this.metrics = new WebhookMetrics(registry, options.name());
    this.backoff = new Backoff(options.backoffMs(), options.maxBackoffMs(), () -> ThreadLocalRandom.current()
        .nextDouble());
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE,
        options.timeoutMs())).setKeepAlive(true));
  }

  /** Queues a notification if this webhook wants its event; drops the oldest waiting one when full. */
  void offer(Notification n) {
    if (closed || drained != null || !options.events().contains(n.event())) {
      return;
    }
    Notification dropped = queue.offer(n);
    if (dropped != null) {
      metrics.count(Outcome.DROPPED);
      LOG.warn("Webhook {}: queue full ({}), dropped the oldest notification ({} {})", options.name(),
          options.queueSize(), dropped.event().wireName(), dropped.id());
    }
    pump();
  }

  /**
   * Stops taking notifications and delivers what is queued (retries included) for at most
   * {@code flushMs}; what is still undelivered then is counted as dropped and logged, and the
   * client closes. A node that stops (a rolling restart) thus still sends the rollback it just made.
   */
  Future<Void> close(long flushMs) {
    drained = io.vertx.core.Promise.promise();
    if (!busy && queue.size() == 0) {
      drained.complete();
    }
    long timer = vertx.setTimer(Math.max(1, flushMs), id -> {
      int left = queue.size() + (busy ? 1 : 0);
      if (left > 0 && drained.tryComplete()) {
        for (int i = 0; i < left; i++) {
          metrics.count(Outcome.DROPPED);
        }
        LOG.warn("Webhook {}: stopping with {} notification(s) not delivered after {} ms", options.name(), left,
            flushMs);
      }
    });
    return drained.future().compose(v -> {
      vertx.cancelTimer(timer);
      closed = true;
      return client.close();
    });
  }

  private void pump() {
    if (busy || closed) {
      return;
    }
    Notification next = queue.poll();
    if (next == null) {
      return;
    }
    busy = true;
    Buffer body = Payloads.of(options.format(), next).toBuffer();
    attempt(next, body, 1);
  }

  private void attempt(Notification n, Buffer body, int attempt) {
    post(n, body).onComplete(ar -> {
      int status = ar.succeeded() ? ar.result() : -1;
      String failure = ar.succeeded() ? "HTTP " + status : ar.cause().getClass().getSimpleName()
          + (ar.cause().getMessage() == null ? "" : ": " + ar.cause().getMessage());
      if (Backoff.delivered(status)) {
        metrics.count(Outcome.DELIVERED);
        done();
      } else if (Backoff.retryable(status) && attempt < options.maxAttempts() && !closed) {
        long delay = backoff.delayMs(attempt);
        metrics.count(Outcome.RETRIED);
        LOG.warn("Webhook {} ({}): {} delivery attempt {} of {} failed ({}), retrying in {} ms", options.name(),
            options.redactedUrl(), n.event().wireName(), attempt, options.maxAttempts(), failure, delay);
        vertx.setTimer(delay, id -> attempt(n, body, attempt + 1));
      } else {
        metrics.count(Outcome.FAILED);
        LOG.error("Webhook {} ({}): {} notification {} not delivered after attempt {} of {} ({}{})", options.name(),
            options.redactedUrl(), n.event().wireName(), n.id(), attempt, options.maxAttempts(), failure,
            Backoff.retryable(status) ? "" : ", not retried");
        done();
      }
    });
  }

  private void done() {
    busy = false;
    if (drained != null && queue.size() == 0) {
      drained.tryComplete();
    }
    pump();
  }

  /** One POST; the status, or a failure for a network error or a timeout. */
  private Future<Integer> post(Notification n, Buffer body) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(options.url().toString())
        .setConnectTimeout(options.timeoutMs()).setIdleTimeout(options.timeoutMs())
        .putHeader("content-type", "application/json").putHeader("user-agent", "turnout-notify")
        .putHeader(Payloads.EVENT_HEADER, n.event().wireName()).putHeader(Payloads.DELIVERY_HEADER, n.id());
    if (options.secret() != null) {
      request.putHeader(Payloads.SIGNATURE_HEADER, Payloads.signature(options.secret(), body.getBytes()));
    }
    return client.request(request).compose(req -> {
      // The idle timeout alone would let a receiver that trickles bytes hold the queue for ever.
      long timer = vertx.setTimer(options.timeoutMs(), id -> req.reset());
      return req.send(body).compose(response -> response.body().map(ignored -> response.statusCode()))
          .onComplete(x -> vertx.cancelTimer(timer));
    });
  }
}
