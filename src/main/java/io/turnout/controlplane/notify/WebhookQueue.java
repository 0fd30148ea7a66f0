package io.turnout.controlplane.notify;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A bounded FIFO of notifications waiting for one webhook. When it is full the oldest waiting
 * one is dropped to make room: during an incident the newest state is what the on-call needs.
 */
public final class WebhookQueue {

  private final int capacity;
  private final Deque<Notification> waiting = new ArrayDeque<>();

  public WebhookQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Adds a notification; returns the one dropped to make room, or null. */
  public Notification offer(Notification n) {
    Notification dropped = waiting.size() >= capacity ? waiting.pollFirst() : null;
    waiting.addLast(n);
    return dropped;
  }

  /** The oldest waiting notification, removed; null when none waits. */
  public Notification poll() {
    return waiting.pollFirst();
  }

  public int size() {
    return waiting.size();
  }
}
