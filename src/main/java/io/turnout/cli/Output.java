package io.turnout.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;

/**
 * Where a command's result goes: a human-readable rendering by default, or with {@code -o json}
 * the node's JSON as it answered (pretty-printed), and nothing else on stdout, for scripts.
 */
public final class Output {

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  /** Whether {@code -o json} was asked for. */
  public boolean json() {
    return json;
  }

  /** The writer for human-readable output. */
  public PrintWriter out() {
    return out;
  }

  /** Prints {@code value} as JSON when {@code -o json}, else runs {@code human}. */
  public void show(Object value, Runnable human) {
    if (json) {
      out.println(value instanceof JsonObject o ? o.encodePrettily()
          : value instanceof JsonArray a ? a.encodePrettily() : io.vertx.core.json.Json.encodePrettily(value));
    } else {
      human.run();
    }
    out.flush();
  }

  /** A line of human-readable text; nothing in JSON mode. */
  public void say(String line) {
    if (!json) {
      out.println(line);
      out.flush();
    }
  }
}
