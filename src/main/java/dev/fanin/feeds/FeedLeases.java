package dev.fanin.feeds;

import dev.fanin.cluster.PollerView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node polls each scheduled feed: the one holding the feed's poller lock, a Vert.x shared-data
 * lock that Hazelcast frees when its holder leaves or dies (in one process the lock is local and
 * always free). A node tries a lock it lacks once when the lease is taken out, whenever a member
 * leaves the cluster, and in a slow sweep one lock at a time — never in a tight loop per feed.
 *
 * <p>It starts held: no lock is tried until {@link #release()}, which the registry calls once the
 * process listens (a process that cannot bind its port must not poll anything). Confined to the
 * registry's event loop.
 */
final class FeedLeases {
  private static final Logger LOG = LoggerFactory.getLogger(FeedLeases.class);
  private final Vertx vertx;
  private final String node;
  private final String lockPrefix;
  private final long sweepMs;
  private final PollerView view;
  /** The current lease of each scheduled feed. */
  private final Map<String, Lease> leases = new HashMap<>();
  private long sweepTimer = -1;
  private boolean sweeping;
  private boolean stopped;
  private boolean held = true;

  FeedLeases(Vertx vertx, String node, String lockPrefix, long sweepMs, PollerView view) {
    this.vertx = vertx;
    this.node = node;
    this.lockPrefix = lockPrefix;
    this.sweepMs = sweepMs;
    this.view = view;
    scheduleSweep(sweepMs);
  }

  /** One definition's claim on its feed's poller lock. */
  final class Lease {
    private final String feed;
    private final Runnable onLead;
    private Lock lock;
    private boolean acquiring;
    private boolean cancelled;

    private Lease(String feed, Runnable onLead) {
      this.feed = feed;
      this.onLead = onLead;
    }

    /** Whether this node holds the feed's lock, so polls it. */
    boolean leads() {
      return lock != null;
    }

    /** Tries the lock once, without waiting for it; on success this node polls the feed. */
    Future<Void> tryLead() {
      if (held || lock != null || acquiring || cancelled) {
        return Future.succeededFuture();
      }
      acquiring = true;
      return vertx.sharedData().getLockWithTimeout(lockPrefix + feed, 1)
          .onSuccess(acquired -> {
            acquiring = false;
            if (cancelled) {
              acquired.release();
              return;
            }
            LOG.info("polling feed {} on this node ({})", feed, node);
            lead(acquired);
            onLead.run();
          })
          .otherwise(t -> {
            acquiring = false;
            return null;
          })
          .mapEmpty();
    }

    private void lead(Lock acquired) {
      lock = acquired;
      view.polling(feed, true);
    }

    /** Ends the lease; the lock is released once {@code lastRun} completes, so the next poller cannot overlap it. */
    void cancel(Future<Void> lastRun) {
      cancelled = true;
      leases.remove(feed, this);
      if (lock != null) {
        Lock releasing = lock;
        lastRun.onComplete(v -> releasing.release());
        view.polling(feed, false);
      }
    }
  }

  /** A new lease of a feed, not yet tried (see {@link Lease#tryLead}); {@code onLead} runs when it takes the lock. */
  Lease lease(String feed, Runnable onLead) {
    Lease lease = new Lease(feed, onLead);
    leases.put(feed, lease);
    return lease;
  }

  /** A new lease of a feed that takes over the lock of the one it replaces, which ends. */
  Lease handOver(Lease old, Runnable onLead) {
    old.cancelled = true;
    Lease lease = lease(old.feed, onLead);
    lease.lead(old.lock);
    old.lock = null;
    return lease;
  }

  /**
   * A member left the cluster: the locks it held are freed as Hazelcast cleans up after it, so try
   * them at once and twice more shortly after, rather than wait for the slow sweep.
   */
  void memberLeft() {
    sweep();
    for (long delay : new long[] {250, 1_000}) {
      vertx.setTimer(delay, t -> sweep());
    }
  }

  /** Lets the leases be tried: every feed's lock at once, then in the slow sweep. */
  void release() {
    if (held) {
      held = false;
      sweep();
    }
  }

  void stop() {
    stopped = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
  }

  private void scheduleSweep(long delay) {
    if (!stopped) {
      sweepTimer = vertx.setTimer(delay, t -> {
        sweepTimer = -1;
        sweep();
      });
    }
  }

  /** Tries, one after the other, the locks of the feeds this node does not poll. */
  private void sweep() {
    if (sweeping || stopped || held) {
      // while held, release() starts the next sweep
      return;
    }
    sweeping = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
    ArrayDeque<Lease> todo = new ArrayDeque<>();
    leases.values().stream().filter(l -> l.lock == null).forEach(todo::add);
    sweepNext(todo);
  }

  private void sweepNext(ArrayDeque<Lease> todo) {
    Lease next = todo.poll();
    if (next == null || stopped) {
      sweeping = false;
      scheduleSweep(sweepMs);
      return;
    }
    next.tryLead().onComplete(v -> sweepNext(todo));
  }
}
