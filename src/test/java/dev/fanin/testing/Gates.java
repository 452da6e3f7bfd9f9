package dev.fanin.testing;

import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import dev.fanin.fetch.DailyBudgets;
import dev.fanin.fetch.OriginGates;
import dev.fanin.metrics.FaninMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;

/** Origin gates for unit tests: a fixed limit per origin (upstream.adaptive off), no rules. */
public final class Gates {
  private Gates() {}

  public static OriginGates fixed(Vertx vertx, int perOrigin, int maxWaiting) {
    return with(vertx, perOrigin, maxWaiting, new JsonObject().put("adaptive", false));
  }

  /** Gates under the given upstream section (origins, adaptive) of the configuration. */
  public static OriginGates with(Vertx vertx, int perOrigin, int maxWaiting, JsonObject upstream) {
    FaninConfig config = ConfigLoader.fromJson(new JsonObject().put("upstream", upstream));
    return new OriginGates(vertx, () -> perOrigin, () -> maxWaiting, config.upstream(), () -> 1000,
        FaninMetrics.standalone(), new DailyBudgets(vertx, Path.of(System.getProperty("java.io.tmpdir"), "fanin-gates-test"),
            Clock.systemUTC()));
  }
}
