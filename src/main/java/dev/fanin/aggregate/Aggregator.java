package dev.fanin.aggregate;

import dev.fanin.config.FaninConfig;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.fetch.FetchPipeline;
import dev.fanin.metrics.FaninMetrics;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts aggregations over the fetch pipeline; knows nothing of HTTP intake or output formats. */
public final class Aggregator {
  private static final Logger LOG = LoggerFactory.getLogger(Aggregator.class);
  private final Vertx vertx;
  private final FetchPipeline pipeline;
  private final long maxAggregateBytes;
  private final long maxBodyBytes;
  private final LoadShedder shedder;
  private final FaninMetrics metrics;
  private final int maxInFlight;

  public Aggregator(Vertx vertx, FetchPipeline pipeline, FaninConfig config, LoadShedder shedder,
      FaninMetrics metrics) {
    this.metrics = metrics;
    this.shedder = shedder;
    this.maxInFlight = config.aggregate().maxInFlight();
    this.vertx = vertx;
    this.pipeline = pipeline;
    this.maxAggregateBytes = config.aggregate().maxAggregateBytes();
    this.maxBodyBytes = config.source().maxBodyBytes();
  }

  /**
   * Starts fetching every source now; results flow to the listener as they complete. Throws
   * {@link OverloadedException} when the process already runs aggregate.maxInFlight aggregations.
   */
  public Aggregation start(AggregationSpec spec, ResultListener listener) {
    return start(spec, listener, RunInfo.anonymous());
  }

  /** As {@link #start(AggregationSpec, ResultListener)}, for a known request and feed. */
  public Aggregation start(AggregationSpec spec, ResultListener listener, RunInfo info) {
    if (!shedder.tryEnter()) {
      metrics.shed();
      throw new OverloadedException(maxInFlight);
    }
    Aggregation aggregation = new Aggregation(vertx, spec, listener, maxAggregateBytes, maxBodyBytes,
        info, metrics);
    aggregation.summary().onComplete(done -> {
      shedder.exit();
      if (done.succeeded()) {
        AggregateSummary s = done.result();
        metrics.aggregation(s.durationMs(), s.complete());
        var line = LOG.atInfo().setMessage("aggregation").addKeyValue("requestId", info.requestId());
        if (info.feed() != null) {
          line = line.addKeyValue("feed", info.feed());
        }
        line.addKeyValue("sources", s.ok() + s.failed())
            .addKeyValue("ok", s.ok())
            .addKeyValue("failed", s.failed())
            .addKeyValue("durationMs", s.durationMs())
            .addKeyValue("slowest", aggregation.slowest())
            .log();
      }
    });
    aggregation.start(pipeline.forAggregation(spec.concurrency()));
    return aggregation;
  }
}
