package dev.fanin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** fanin's meters: labels by origin, never more origins than the cap, and no per-host series of Vert.x's pools. */
class FaninMetricsTest {
  static final int CAP = 3;
  final FaninMetrics metrics = new FaninMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), CAP);

  Set<String> origins(String meter) {
    return metrics.registry().find(meter).meters().stream().map(m -> m.getId().getTag("origin"))
        .collect(Collectors.toSet());
  }

  @Test
  void upstreamLatencyIsLabelledByOriginUpToTheCapAndFurtherOriginsAreDropped() {
    for (int i = 0; i < 10; i++) {
      metrics.upstream("http://o" + i + ".example:80", "2xx", 1_000_000);
    }
    assertEquals(Set.of("http://o0.example:80", "http://o1.example:80", "http://o2.example:80"),
        origins("fanin.upstream.latency"));
    metrics.upstream("http://o0.example:80", "5xx", 1_000_000);
    assertEquals(CAP + 1, metrics.registry().find("fanin.upstream.latency").meters().size(),
        "a known origin still gets a series per outcome");
    assertTrue(metrics.registry().scrape().contains("fanin_upstream_latency_seconds_count{origin=\"http://o0.example:80\""));
  }

  @Test
  void breakerMetersAreCappedByOriginToo() {
    for (int i = 0; i < 10; i++) {
      metrics.breakerTransition("http://o" + i + ".example:80", "open");
      metrics.breakerState("http://o" + i + ".example:80", () -> 2);
    }
    assertEquals(CAP, origins("fanin.breaker.transitions").size());
    assertEquals(CAP, origins("fanin.breaker.state").size());
  }

  @Test
  void vertxsPerHostHttpPoolSeriesAreNotKept() {
    metrics.registry().counter("vertx.pool.queue.pending", "pool_type", "http", "pool_name", "a.example:80").increment();
    metrics.registry().counter("vertx.pool.queue.pending", "pool_type", "worker", "pool_name", "vert.x-worker").increment();
    assertNull(metrics.registry().find("vertx.pool.queue.pending").tag("pool_type", "http").meter());
    assertNotNull(metrics.registry().find("vertx.pool.queue.pending").tag("pool_type", "worker").meter());
  }

  @Test
  void aRemovedMeterIsGoneFromTheScrape() {
    Meter state = metrics.breakerState("http://gone.example:80", () -> 1);
    assertTrue(metrics.registry().scrape().contains("gone.example"));
    metrics.remove(state);
    assertFalse(metrics.registry().scrape().contains("gone.example"));
  }
}
