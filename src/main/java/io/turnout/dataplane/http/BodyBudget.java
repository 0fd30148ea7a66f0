package io.turnout.dataplane.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes the node holds at once, node-wide, capped at
 * {@code http.max_body_bytes_in_flight}: each body is at most {@code max_body_bytes}, but many
 * clients sending bodies near that size at once would otherwise fill the heap. A body reserves its
 * declared length before it is read (or each chunk as it arrives when none is declared) and
 * returns it when its request ends; a reservation that does not fit is refused, and the request
 * is answered 503 instead of read.
 */
final class BodyBudget {

  private final long capacity;
  private final AtomicLong held = new AtomicLong();

  BodyBudget(long capacity) {
    this.capacity = capacity;
  }

  /** Takes {@code bytes} from the budget; false (and nothing taken) when they do not fit. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = held.get();
      if (now + bytes > capacity) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    if (bytes > 0) {
      held.addAndGet(-bytes);
    }
  }

  /** Body bytes held now. */
  long held() {
    return held.get();
  }

  long capacity() {
    return capacity;
  }
}
