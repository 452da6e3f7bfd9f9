package dev.fanin.aggregate;

import dev.fanin.config.FaninConfig;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.fetch.ByteBudget;
import dev.fanin.pipeline.FetchPipeline;
import dev.fanin.fetch.ProcessBytes;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.tracing.TraceSpan;
import dev.fanin.tracing.Tracing;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.Supplier;

/** Starts aggregations over the fetch pipeline; knows nothing of HTTP intake or output formats. */
public final class Aggregator {
  private static final Logger LOG = LoggerFactory.getLogger(Aggregator.class);
  private final Vertx vertx;
  private final FetchPipeline pipeline;
  private final Supplier<FaninConfig> config;
  private final LoadShedder shedder;
  private final FaninMetrics metrics;
  private final ResultDecoder decoder;
  private final ProcessBytes processBytes;
  private final Runnable onClose;
  private final Tracing tracing;

  /**
   * Reads its limits from the running configuration at each start.
   *
   * @param onClose what {@link #close} undoes (its lane, when it has one)
   */
  public Aggregator(Vertx vertx, FetchPipeline pipeline, Supplier<FaninConfig> config,
      LoadShedder shedder, FaninMetrics metrics, ResultDecoder decoder, ProcessBytes processBytes, Runnable onClose) {
    this(vertx, pipeline, config, shedder, metrics, decoder, processBytes, onClose, Tracing.OFF);
  }

  /** @param tracing starts each aggregation's span ({@link Tracing#OFF} when tracing is off) */
  public Aggregator(Vertx vertx, FetchPipeline pipeline, Supplier<FaninConfig> config,
      LoadShedder shedder, FaninMetrics metrics, ResultDecoder decoder, ProcessBytes processBytes, Runnable onClose,
      Tracing tracing) {
    this.tracing = tracing;
    this.onClose = onClose;
    this.processBytes = processBytes;
    this.decoder = decoder;
    this.vertx = vertx;
    this.pipeline = pipeline;
    this.config = config;
    this.shedder = shedder;
    this.metrics = metrics;
  }

  /** Its event loop stops: other loops no longer send through its client. */
  public void close() {
    onClose.run();
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
    FaninConfig limits = enter();
    TraceSpan span = span(info, spec.sources().size());
    Aggregation aggregation = new Aggregation(vertx, spec, listener,
        new ByteBudget(limits.aggregate().maxAggregateBytes(), processBytes), limits.source().maxBodyBytes(),
        info, metrics, decoder, span, limits.aggregate().maxExpansion(),
        Math.max(0, limits.aggregate().maxSources() - spec.sources().size()));
    aggregation.summary().onComplete(done -> exit(done, info, aggregation::slowest, span));
    aggregation.start(pipeline.forAggregation(spec.concurrency(), spec.sources().size()));
    return aggregation;
  }

  /**
   * Starts a run whose sources are pulled from {@code feed} as earlier ones complete (see
   * {@link StreamedAggregation}); it counts as one aggregation in flight, with one byte budget.
   * Throws {@link OverloadedException} as {@link #start(AggregationSpec, ResultListener)} does.
   */
  public StreamedAggregation startStream(StreamedAggregation.Bounds bounds, StreamedAggregation.SourceFeed feed,
      ResultListener listener, RunInfo info) {
    FaninConfig limits = enter();
    TraceSpan span = span(info, -1);
    StreamedAggregation run = new StreamedAggregation(vertx, bounds, feed, listener,
        new ByteBudget(limits.aggregate().maxAggregateBytes(), processBytes), limits.source().maxBodyBytes(),
        info, metrics, decoder, span);
    run.summary().onComplete(done -> exit(done, info, run::slowest, span));
    // however few sources came first, more follow: send from every lane
    run.start(pipeline.forAggregation(bounds.concurrency(), Integer.MAX_VALUE));
    return run;
  }

  /** The aggregation's span: a child of the request's (or feed run's) span, else the root of a trace. */
  private TraceSpan span(RunInfo info, int sources) {
    TraceSpan span = tracing.start("aggregation");
    if (span.recording()) {
      span.attribute("fanin.request_id", info.requestId()).attribute("fanin.feed", info.feed());
      if (sources >= 0) {
        span.attribute("fanin.sources", sources);
      }
    }
    return span;
  }

  /** Takes a place among the aggregations in flight, or sheds; the running configuration's limits. */
  private FaninConfig enter() {
    FaninConfig limits = config.get();
    if (processBytes.low()) {
      metrics.shed();
      throw new OverloadedException("fanin's memory for answers in flight is nearly used up ("
          + processBytes.held() + " of " + processBytes.max() + " bytes, aggregate.maxProcessBytes); retry shortly");
    }
    if (!shedder.tryEnter(limits.aggregate().maxInFlight())) {
      metrics.shed();
      throw new OverloadedException(limits.aggregate().maxInFlight());
    }
    return limits;
  }

  private void exit(AsyncResult<AggregateSummary> done, RunInfo info, Supplier<String> slowest, TraceSpan span) {
    shedder.exit();
    if (span.recording()) {
      if (done.succeeded()) {
        span.attribute("fanin.ok", done.result().ok()).attribute("fanin.failed", done.result().failed());
      } else {
        span.error("internal", done.cause().getMessage());
      }
      span.end();
    }
    if (done.succeeded()) {
      AggregateSummary s = done.result();
      metrics.aggregation(s.durationMs(), s.complete());
      var line = LOG.atInfo().setMessage("aggregation").addKeyValue("requestId", info.requestId());
      if (info.feed() != null) {
        line = line.addKeyValue("feed", info.feed());
      }
      if (span.traceId() != null) {
        line = line.addKeyValue("traceId", span.traceId());
      }
      line.addKeyValue("sources", s.ok() + s.failed())
          .addKeyValue("ok", s.ok())
          .addKeyValue("failed", s.failed())
          .addKeyValue("durationMs", s.durationMs())
          .addKeyValue("slowest", slowest.get())
          .log();
    }
  }
}
