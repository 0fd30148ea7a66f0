package io.turnout.simulator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays one accepted request: a normal answer, or the scripted fault, after the script's latency.
 * The only place that maps a fault kind to what goes on the wire.
 */
final class SimResponder {

  static final String JSON = "application/json";
  static final String HTML = "text/html; charset=utf-8";
  static final String HTML_PAGE = "<!DOCTYPE html><html><head><title>Simulated page</title></head>"
      + "<body><h1>Simulated HTML instead of JSON</h1><p>A proxy or CDN answered in place of the provider.</p>"
      + "</body></html>";

  private final SimExchange exchange;
  private final SimProviderState state;
  private final SimContract contract;
  private final SimScript script;
  private final SimAnswer answer;
  private final boolean stream;
  private final boolean streamUsage;
  private final String requestId;

  SimResponder(SimExchange exchange, SimProviderState state, SimAnswer answer, JsonObject request, String requestId) {
    this.exchange = exchange;
    this.state = state;
    this.contract = state.contract();
    this.script = state.script();
    this.answer = answer;
    this.stream = contract.stream(request);
    this.streamUsage = script.usage() && contract.streamUsageRequested(request);
    this.requestId = requestId;
  }

  /** Answers, or plays {@code fault} when it is not null. Hang and reset skip the latency: they never answer. */
  void respond(Fault fault) {
    if (fault != null && fault.kind() == FaultKind.RESET) {
      exchange.closeConnection();
    } else if (fault != null && fault.kind() == FaultKind.HANG) {
      exchange.hang();
    } else {
      exchange.after(state.nextLatencyMillis(), () -> play(fault));
    }
  }

  private void play(Fault fault) {
    if (fault == null) {
      if (stream) {
        streamEvents(contract.stream(answer, streamUsage, null).all(), exchange::endStream);
      } else {
        exchange.send(200, JSON, contract.completion(answer, script.usage(), null));
      }
      return;
    }
    switch (fault.kind()) {
      case STATUS -> sendStatus(fault);
      case MALFORMED -> {
        if (stream) {
          streamEvents(contract.stream(answer, streamUsage, fault.variant()).all(), exchange::endStream);
        } else {
          exchange.send(200, JSON, contract.completion(answer, script.usage(), fault.variant()));
        }
      }
      case WRONG_CONTENT_TYPE -> exchange.send(200, HTML, Buffer.buffer(HTML_PAGE));
      case STALL -> {
        if (stream) {
          streamEvents(contract.stream(answer, streamUsage, null).upTo(fault.afterChunks()), () -> { });
        } else {
          exchange.stallAfterHead(JSON);
        }
      }
      case CUT -> {
        if (stream) {
          streamEvents(contract.stream(answer, streamUsage, null).upTo(fault.afterChunks()), exchange::closeConnection);
        } else {
          exchange.cutBody(JSON, contract.completion(answer, script.usage(), null));
        }
      }
      case ERROR_CHUNK -> {
        if (stream) {
          List<SseEvent> events = new ArrayList<>(contract.stream(answer, streamUsage, null).upTo(fault.afterChunks()));
          events.add(contract.errorEvent(fault.errorType(), requestId));
          streamEvents(events, exchange::endStream);
        } else {
          exchange.send(500, JSON, contract.faultBody(500, null, requestId).toBuffer());
        }
      }
      default -> throw new IllegalStateException("not played after latency: " + fault.kind());
    }
  }

  private void sendStatus(Fault fault) {
    if (fault.retryAfterSeconds() >= 0) {
      exchange.header("retry-after", String.valueOf(fault.retryAfterSeconds()));
    }
    if (fault.body() != null) {
      exchange.send(fault.status(), fault.contentType(), Buffer.buffer(fault.body()));
    } else {
      exchange.send(fault.status(), JSON, contract.faultBody(fault.status(), fault.errorCode(), requestId).toBuffer());
    }
  }

  private void streamEvents(List<SseEvent> events, Runnable then) {
    exchange.startStream(contract.streamContentType());
    exchange.writeEvents(events, script.chunkIntervalMs(), then);
  }
}
