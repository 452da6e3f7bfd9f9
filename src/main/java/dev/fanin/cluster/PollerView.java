package dev.fanin.cluster;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Which scheduled feeds this node polls right now: written by the scheduler, read by GET /v1/cluster. */
public final class PollerView {
  private final Set<String> polling = ConcurrentHashMap.newKeySet();

  public void polling(String feed, boolean holds) {
    if (holds) {
      polling.add(feed);
    } else {
      polling.remove(feed);
    }
  }

  public List<String> feeds() {
    return polling.stream().sorted().toList();
  }
}
