package dev.fanin.feeds;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The last runs of one scheduled feed, encoded, so that a subscriber who reconnects with the id of
 * the last run it saw (SSE Last-Event-ID) gets the runs it missed. Bounded by count and bytes; the
 * latest run is always kept, whatever its size.
 */
public final class RecentRuns {
  static final int MAX_RUNS = 16;
  static final long MAX_BYTES = 1024 * 1024;

  /** One run: its id (the run's runAt) and its JSON. */
  public record Run(String id, Buffer json) {}

  private final ArrayDeque<Run> runs = new ArrayDeque<>();
  private long bytes;

  synchronized void add(String id, Buffer json) {
    runs.addLast(new Run(id, json));
    bytes += json.length();
    while (runs.size() > MAX_RUNS || (runs.size() > 1 && bytes > MAX_BYTES)) {
      bytes -= runs.removeFirst().json().length();
    }
  }

  synchronized JsonObject latest() {
    Run last = runs.peekLast();
    return last == null ? null : new JsonObject(last.json());
  }

  /**
   * The runs after the one with this id, oldest first; just the latest when the id is null or no
   * longer known (a client that was away too long gets the present, not a gap it cannot see).
   */
  synchronized List<Run> after(String id) {
    List<Run> out = new ArrayList<>();
    if (id != null) {
      boolean found = false;
      for (Iterator<Run> it = runs.iterator(); it.hasNext(); ) {
        Run run = it.next();
        if (found) {
          out.add(run);
        } else if (run.id().equals(id)) {
          found = true;
        }
      }
      if (found) {
        return out;
      }
    }
    Run last = runs.peekLast();
    if (last != null) {
      out.add(last);
    }
    return out;
  }
}
