package dev.fanin.aggregate;

import dev.fanin.config.FaninConfig;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.fetch.FetchPipeline;
import io.vertx.core.Vertx;

/** Starts aggregations over the fetch pipeline; knows nothing of HTTP intake or output formats. */
public final class Aggregator {
  private final Vertx vertx;
  private final FetchPipeline pipeline;
  private final long maxAggregateBytes;
  private final long maxBodyBytes;
  private final LoadShedder shedder;
  private final int maxInFlight;

  public Aggregator(Vertx vertx, FetchPipeline pipeline, FaninConfig config, LoadShedder shedder) {
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
    if (!shedder.tryEnter()) {
      throw new OverloadedException(maxInFlight);
    }
    Aggregation aggregation = new Aggregation(vertx, spec, listener, maxAggregateBytes, maxBodyBytes);
    aggregation.summary().onComplete(done -> shedder.exit());
    aggregation.start(pipeline.forAggregation(spec.concurrency()));
    return aggregation;
  }
}
