package io.turnout.dataplane.drain;

/**
 * An upstream attempt in flight, as drain sees it. Called only on the event loop that runs the
 * attempt.
 */
public interface InFlightAttempt {

  /** The version the scope's pointer named when the attempt's plan was made (compared with the pointer in force). */
  String plannedOn();

  /**
   * The scope has moved to another version: cancel the attempt now (reset the upstream request).
   *
   * @param movedTo the version the pointer names now, or null when the scope has no pointer any more
   */
  void drain(String movedTo);
}
