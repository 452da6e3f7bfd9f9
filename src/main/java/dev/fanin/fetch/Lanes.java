package dev.fanin.fetch;

import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The process's HTTP fetchers, one per intake event loop, each with its own connection pool. A
 * large aggregation spreads its requests over them ({@link SpreadingFetcher}), so that sending and
 * receiving run on every core instead of the one that took the request.
 */
public final class Lanes {
  /** One event loop and the HTTP fetcher whose client lives on it. */
  public record Lane(Context context, Fetcher http) {}

  private final List<Lane> lanes = new CopyOnWriteArrayList<>();

  /** Adds a lane; returns what removes it again (when its verticle stops). */
  public Runnable add(Context context, Fetcher http) {
    Lane lane = new Lane(context, http);
    lanes.add(lane);
    return () -> lanes.remove(lane);
  }

  public List<Lane> snapshot() {
    return List.copyOf(lanes);
  }
}
