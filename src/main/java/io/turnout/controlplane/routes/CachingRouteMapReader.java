package io.turnout.controlplane.routes;

import io.turnout.routes.RouteMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link RouteMapReader} that remembers the last few maps it read, by the SHA-256 digest of
 * their source name and text: a member adopting a flip it (or another member) already parsed
 * gets the parsed, checked map back instead of parsing the YAML and re-running every check. Only
 * for a reader whose map is a pure function of its text and this node's configuration (which the
 * reader closes over and which does not change while the node runs): the adoption reader. Not for
 * the reader of local edits, whose data-policy check depends on the time (approvals expire). A
 * text that fails is not remembered, so it fails the same way each time. Thread-safe (readers run
 * on workers).
 */
public final class CachingRouteMapReader implements RouteMapReader {

  /** Enough for the map in force, the one being flipped to and a rollback target. */
  public static final int DEFAULT_CAPACITY = 4;

  private final RouteMapReader reader;
  private final Map<String, RouteMap> maps;

  public CachingRouteMapReader(RouteMapReader reader) {
    this(reader, DEFAULT_CAPACITY);
  }

  /** @param capacity how many parsed maps are kept; the least recently used goes first */
  public CachingRouteMapReader(RouteMapReader reader, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.reader = reader;
    this.maps = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, RouteMap> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public RouteMap read(String source, String text) {
    String key = digest(source, text);
    synchronized (maps) {
      RouteMap known = maps.get(key);
      if (known != null) {
        return known;
      }
    }
    // Parsed outside the lock: two workers reading the same new text both parse it, once each.
    RouteMap map = reader.read(source, text);
    synchronized (maps) {
      maps.put(key, map);
    }
    return map;
  }

  /** How many parsed maps are kept now. */
  public int size() {
    synchronized (maps) {
      return maps.size();
    }
  }

  private static String digest(String source, String text) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    sha.update(source.getBytes(StandardCharsets.UTF_8));
    // A separator no file name holds, so "a" + "bc" and "ab" + "c" differ.
    sha.update((byte) 0);
    return java.util.HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
