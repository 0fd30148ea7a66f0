package io.turnout.dataplane.observability;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import net.logstash.logback.marker.Markers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route events ({@link io.turnout.routes.RouteEvents}) as log lines on the logger
 * {@code turnout.route}: a fixed message per event type and the event's own fields (file, path,
 * reason, scope, from, to, operator, ...) as structured fields, so they are queried as fields
 * rather than parsed out of free text. The text format shows them as {@code {key=value, ...}}.
 */
public final class RouteEventLog {

  private static final Logger LOG = LoggerFactory.getLogger("turnout.route");

  private RouteEventLog() {}

  /** The fixed message of an event type. */
  public static String message(String type) {
    return switch (type == null ? "" : type) {
      case "applied" -> "route map applied";
      case "rejected" -> "route map edit rejected, running map unchanged";
      case "expired" -> "route version expired, scope reverted to its rollback version";
      case "changed" -> "route scope changed by an operator";
      case "gate_action" -> "route scope changed by a gate";
      default -> "route event";
    };
  }

  /** Logs one event (INFO for an applied map, WARN for every other change or refusal). */
  public static void write(JsonObject event) {
    boolean applied = "applied".equals(event.getString("type"));
    if (applied ? !LOG.isInfoEnabled() : !LOG.isWarnEnabled()) {
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = new LinkedHashMap<>(event.mapTo(Map.class));
    // The encoder's own field names stay the encoder's.
    fields.remove("message");
    fields.remove("level");
    fields.put("route_event", fields.remove("type"));
    String message = message(event.getString("type"));
    if (applied) {
      LOG.info(Markers.appendEntries(fields), message);
    } else {
      LOG.warn(Markers.appendEntries(fields), message);
    }
  }
}
