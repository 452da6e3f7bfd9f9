package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;
import dev.fanin.metrics.FaninMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What each client may make fanin send upstream (security.clientBudget, per-key values in
 * security.apiKeys), across all of its aggregations and feeds: one {@link ClientAllowance} per client.
 * A client is an API key, an anonymous client's address, the event bus, or a scheduled feed's owner
 * (see the holder names below). Allowances with nothing in flight or waiting are forgotten
 * {@link #IDLE_MS} after their last use, and at most {@link #MAX_CLIENTS} are kept.
 */
public final class ClientBudgets {
  /** An idle client's allowance (and its counters) is forgotten after this long. */
  public static final long IDLE_MS = 10 * 60_000;
  public static final int MAX_CLIENTS = 10_000;
  /** The holder of aggregations asked for over the event bus (inside the cluster: trusted, budgeted as one). */
  public static final String BUS = "bus";
  /** The holder of scheduled runs of feeds that have no owner (operator feeds, feeds made without keys). */
  public static final String SCHEDULED = "scheduled";

  private final Vertx vertx;
  private final Supplier<FaninConfig.Security> security;
  private final FaninMetrics metrics;
  private final Map<String, ClientAllowance> clients = new ConcurrentHashMap<>();

  public ClientBudgets(Vertx vertx, Supplier<FaninConfig.Security> security, FaninMetrics metrics) {
    this.vertx = vertx;
    this.security = security;
    this.metrics = metrics;
    vertx.setPeriodic(60_000, t -> sweep(System.currentTimeMillis()));
  }

  /** The holder name of an API key's requests. */
  public static String forKey(String keyId) {
    return "key:" + keyId;
  }

  /** The holder name of an anonymous client's requests, by its address. */
  public static String forAddress(String address) {
    return "addr:" + address;
  }

  /** The budget a holder has under the configuration in force now. */
  public FaninConfig.ClientBudget budgetOf(String holder) {
    FaninConfig.Security s = security.get();
    if (holder.startsWith("key:")) {
      String id = holder.substring(4);
      for (FaninConfig.ApiKey key : s.apiKeys()) {
        if (key.id().equals(id)) {
          return key.budget();
        }
      }
    }
    return s.clientBudget();
  }

  /** The label a holder's metrics carry: the key's id, or its kind (addresses are not labels). */
  static String label(String holder) {
    if (holder.startsWith("key:")) {
      return holder.substring(4);
    }
    return holder.startsWith("addr:") ? "anonymous" : holder;
  }

  /**
   * Admits one upstream request of {@code holder}: completes with a permit (to release when the
   * request is over) once the client's rate and its requests in flight allow it, or fails
   * rate_limited when that cannot happen before {@code deadline} (System.nanoTime).
   */
  Future<ClientAllowance.Permit> acquire(String holder, long deadline, Context loop,
      Function<Runnable, Runnable> onCancel) {
    while (true) {
      ClientAllowance allowance = clients.computeIfAbsent(holder, h -> new ClientAllowance(h, this));
      Future<ClientAllowance.Permit> permit = allowance.acquire(budgetOf(holder), deadline, loop, onCancel);
      if (permit != null) {
        return permit;
      }
      clients.remove(holder, allowance); // it was retired meanwhile: take a fresh one
    }
  }

  /** The holder's allowance, when it has one (counting a throttled answer needs no new one). */
  ClientAllowance existing(String holder) {
    return clients.get(holder);
  }

  long timer(long ms, Runnable action) {
    return vertx.setTimer(Math.max(1, ms), t -> action.run());
  }

  void cancelTimer(long id) {
    vertx.cancelTimer(id);
  }

  FaninMetrics metrics() {
    return metrics;
  }

  void sweep(long nowMs) {
    clients.values().removeIf(a -> a.retireIfIdle(nowMs, IDLE_MS));
    if (clients.size() > MAX_CLIENTS) {
      List<ClientAllowance> oldest = new ArrayList<>(clients.values());
      oldest.sort(Comparator.comparingLong(ClientAllowance::lastUsedMs));
      for (ClientAllowance a : oldest.subList(0, clients.size() - MAX_CLIENTS)) {
        if (a.retireIfIdle(Long.MAX_VALUE, 0)) {
          clients.remove(a.holder(), a);
        }
      }
    }
  }

  /** What GET /v1/clients shows: the busiest clients first, at most {@code max}. */
  public List<ClientSnapshot> snapshot(int max) {
    long now = System.nanoTime();
    List<ClientSnapshot> all = new ArrayList<>();
    for (ClientAllowance a : clients.values()) {
      all.add(a.snapshot(now));
    }
    all.sort(Comparator.comparingLong((ClientSnapshot s) -> s.inFlight() + s.waiting()).reversed()
        .thenComparing(Comparator.comparingLong(ClientSnapshot::sent).reversed())
        .thenComparing(ClientSnapshot::client));
    return all.size() > max ? List.copyOf(all.subList(0, max)) : all;
  }

  public int size() {
    return clients.size();
  }
}
