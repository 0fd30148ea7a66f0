package io.turnout.simulator;

import io.vertx.core.http.HttpConnection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Which simulated provider each open client connection belongs to, so the stats can say how many
 * connections a client keeps open to each provider ({@code open_connections}). All providers share
 * one server, so a connection is attributed to the provider of the first request it carries (a
 * gateway keeps one pool per provider, so its connections never change provider). Confined to the
 * simulator's event loop.
 */
final class SimConnections {

  private final Map<HttpConnection, SimProviderState> owners = new IdentityHashMap<>();

  /** Notes that {@code connection} carried a request to {@code state}'s provider. */
  void seen(HttpConnection connection, SimProviderState state) {
    if (owners.containsKey(connection)) {
      return;
    }
    owners.put(connection, state);
    state.connectionOpened();
    connection.closeHandler(v -> {
      SimProviderState owner = owners.remove(connection);
      if (owner != null) {
        owner.connectionClosed();
      }
    });
  }
}
