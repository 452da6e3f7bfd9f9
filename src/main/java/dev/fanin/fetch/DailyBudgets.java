package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Counter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The perDay budgets of upstream.origins rules: requests sent per UTC day under each rule (one
 * budget per rule, shared by every origin it matches). The counts are Vert.x shared-data counters,
 * so in a cluster every node draws from the same budget (Hazelcast's counters); each node also
 * writes what it knows of today's counts to {@code origin-budgets.json} in the data directory every
 * {@link #SAVE_EVERY_MS} and at stop, and a node that starts takes the larger of that file and the
 * cluster's count, so a budget survives a restart of the whole cluster or of a lone process.
 */
public final class DailyBudgets {
  private static final Logger LOG = LoggerFactory.getLogger(DailyBudgets.class);
  static final long SAVE_EVERY_MS = 5_000;
  static final String FILE = "origin-budgets.json";

  private final Vertx vertx;
  private final Path file;
  private final Clock clock;
  /** The last count seen per day and rule ("2026-11-30|api.example.com"). */
  private final Map<String, Long> used = new ConcurrentHashMap<>();
  /** Budgets known to be spent, per day and rule: refused without asking the counter. */
  private final Set<String> spent = ConcurrentHashMap.newKeySet();
  private volatile boolean dirty;
  private long timer = -1;

  /** @param dataDir where the counts are saved (feeds.dataDir) */
  public DailyBudgets(Vertx vertx, Path dataDir, Clock clock) {
    this.vertx = vertx;
    this.file = dataDir.resolve(FILE);
    this.clock = clock;
  }

  /** Takes up what this node (or the cluster) counted today, then saves periodically. */
  public Future<Void> start() {
    FileSystem fs = vertx.fileSystem();
    return fs.exists(file.toString())
        .compose(exists -> exists ? fs.readFile(file.toString()).compose(this::restore) : Future.succeededFuture())
        .recover(t -> {
          LOG.warn("cannot read {}: {}; today's perDay budgets start from the cluster's counts", file, t.getMessage());
          return Future.succeededFuture();
        })
        .onSuccess(v -> timer = vertx.setPeriodic(SAVE_EVERY_MS, t -> save()));
  }

  /** Stops saving, after a last save. */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return save();
  }

  private Future<Void> restore(Buffer content) {
    JsonObject saved = new JsonObject(content);
    if (!today().equals(saved.getString("day"))) {
      return Future.succeededFuture();
    }
    JsonObject counts = saved.getJsonObject("used", new JsonObject());
    List<Future<?>> merged = new ArrayList<>();
    for (String match : counts.fieldNames()) {
      long stored = counts.getLong(match, 0L);
      merged.add(counter(today(), match).compose(c -> c.get().compose(current -> current >= stored
          ? Future.succeededFuture(current) : c.addAndGet(stored - current)))
          .onSuccess(n -> used.merge(today() + "|" + match, n, Math::max)));
    }
    return Future.join(merged).mapEmpty();
  }

  /**
   * Takes one request from the rule's budget for today: true when it was within the budget, false
   * when the budget is spent (the request must not be sent).
   */
  Future<Boolean> take(FaninConfig.OriginRule rule) {
    String day = today();
    String key = day + "|" + rule.match();
    if (spent.contains(key)) {
      return Future.succeededFuture(false);
    }
    return counter(day, rule.match()).compose(Counter::incrementAndGet).map(n -> {
      used.merge(key, n, Math::max);
      dirty = true;
      if (n > rule.perDay()) {
        spent.add(key);
        return false;
      }
      return true;
    });
  }

  /** Requests sent today under the rule, as far as this node has seen (at most its budget). */
  public long usedToday(FaninConfig.OriginRule rule) {
    return Math.min(rule.perDay(), used.getOrDefault(today() + "|" + rule.match(), 0L));
  }

  /** Milliseconds until the budgets renew (00:00 UTC). */
  long msUntilRenewal() {
    long now = clock.millis();
    long midnight = LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1).atStartOfDay(ZoneOffset.UTC)
        .toInstant().toEpochMilli();
    return midnight - now;
  }

  private Future<Counter> counter(String day, String match) {
    return vertx.sharedData().getCounter("fanin.originBudget." + day + "." + match);
  }

  private String today() {
    return LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
  }

  /** Writes today's counts (atomically: a temporary file moved over the old one). */
  private Future<Void> save() {
    String day = today();
    used.keySet().removeIf(key -> !key.startsWith(day + "|"));
    spent.removeIf(key -> !key.startsWith(day + "|"));
    if (!dirty) {
      return Future.succeededFuture();
    }
    dirty = false;
    JsonObject counts = new JsonObject();
    used.forEach((key, n) -> counts.put(key.substring(day.length() + 1), n));
    Buffer content = new JsonObject().put("day", day).put("used", counts).toBuffer();
    FileSystem fs = vertx.fileSystem();
    String temp = file + ".tmp";
    return fs.mkdirs(file.getParent().toString())
        .compose(v -> fs.writeFile(temp, content))
        .compose(v -> fs.move(temp, file.toString(), new CopyOptions().setReplaceExisting(true).setAtomicMove(true)))
        .recover(t -> {
          dirty = true;
          LOG.warn("cannot save the perDay budgets to {}: {}", file, t.getMessage());
          return Future.succeededFuture();
        });
  }
}
