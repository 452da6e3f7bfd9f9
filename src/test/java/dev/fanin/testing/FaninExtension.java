package dev.fanin.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The "fanin plus fake upstream" fixture: a Vertx, fake upstreams on loopback and a real fanin
 * ({@link FaninHarness}) with the test class's config overrides. Registered on a static field it
 * lives for the whole class; on an instance field, for each test:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
 *     .put("breaker", new JsonObject().put("maxFailures", 3)));
 * }</pre>
 *
 * Everything it started is stopped in reverse order: the fanins, the upstreams, then the Vertx.
 */
public final class FaninExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final Supplier<JsonObject> config;
  private final boolean startsFanin;
  private int upstreamCount = 1;
  private boolean resetCounters;

  private Vertx vertx;
  private final List<FakeUpstream> upstreams = new ArrayList<>();
  private final List<FaninHarness> fanins = new ArrayList<>();
  private boolean perTest;

  private FaninExtension(Supplier<JsonObject> config, boolean startsFanin) {
    this.config = config;
    this.startsFanin = startsFanin;
  }

  /** A fanin with the harness's defaults and one fake upstream. */
  public static FaninExtension withDefaults() {
    return withConfig(new JsonObject());
  }

  /** A fanin with these config overrides (over the harness's defaults) and one fake upstream. */
  public static FaninExtension withConfig(JsonObject overrides) {
    return new FaninExtension(overrides::copy, true);
  }

  /** The Vertx and the upstreams only: the test starts its fanins with {@link #startFanin}. */
  public static FaninExtension withoutFanin() {
    return new FaninExtension(JsonObject::new, false);
  }

  /** How many fake upstreams to start (1 unless told; 0 for none). */
  public FaninExtension upstreams(int count) {
    this.upstreamCount = count;
    return this;
  }

  /** Resets every upstream's counters and records before each test. */
  public FaninExtension resetCountersBeforeEach() {
    this.resetCounters = true;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (vertx == null) {
      perTest = true;
      start();
    }
    if (resetCounters) {
      upstreams.forEach(FakeUpstream::resetCounters);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!perTest) {
      stop();
    }
  }

  private void start() {
    vertx = Vertx.vertx();
    try {
      for (int i = 0; i < upstreamCount; i++) {
        upstreams.add(new FakeUpstream(vertx).start());
      }
      if (startsFanin) {
        startFanin(config.get());
      }
    } catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
  }

  private void stop() {
    if (vertx == null) {
      return;
    }
    try {
      for (int i = fanins.size() - 1; i >= 0; i--) {
        fanins.get(i).stop();
      }
      upstreams.forEach(FakeUpstream::stop);
    } finally {
      fanins.clear();
      upstreams.clear();
      Vertx closing = vertx;
      vertx = null;
      closing.close().await();
    }
  }

  /** Starts another fanin on this fixture's Vertx; it is stopped with the fixture. */
  public FaninHarness startFanin(JsonObject overrides) {
    FaninHarness harness = new FaninHarness(running(), overrides);
    fanins.add(harness);
    return harness;
  }

  public Vertx vertx() {
    return running();
  }

  /** The first fake upstream. */
  public FakeUpstream upstream() {
    return upstream(0);
  }

  public FakeUpstream upstream(int index) {
    running();
    return upstreams.get(index);
  }

  /** The fanin the fixture started (the first one started). */
  public FaninHarness fanin() {
    running();
    if (fanins.isEmpty()) {
      throw new IllegalStateException("no fanin started: call startFanin(config) first");
    }
    return fanins.get(0);
  }

  private Vertx running() {
    if (vertx == null) {
      throw new IllegalStateException("the fixture is not running: register it with @RegisterExtension");
    }
    return vertx;
  }
}
