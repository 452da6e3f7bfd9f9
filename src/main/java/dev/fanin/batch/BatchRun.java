package dev.fanin.batch;

import dev.fanin.aggregate.AggregateSummary;
import dev.fanin.aggregate.Aggregation;
import dev.fanin.aggregate.Aggregator;
import dev.fanin.aggregate.AggregatorFactory;
import dev.fanin.aggregate.ResultListener;
import dev.fanin.aggregate.RunInfo;
import dev.fanin.aggregate.SourceResult;
import dev.fanin.aggregate.StreamedAggregation;
import dev.fanin.config.FaninConfig;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.SourceSpec;
import dev.fanin.fetch.ByteBudget;
import dev.fanin.write.ResultJson;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One batch run ({@code fanin run}). {@link #prepare} checks the input and reads the checkpoint
 * before anything is fetched; {@link #verticle} then runs the sources through the service's
 * pipeline on an event loop of its own: a definition or a feed as one aggregation, a URL list as a
 * {@link StreamedAggregation} fed from the file as results come back (and as the output keeps up).
 * Each result is written as the HTTP stream's NDJSON line the moment it completes, the summary
 * last; progress goes to standard error. {@link #interrupt} (the shutdown hook of Ctrl-C and
 * SIGTERM) writes every result already received, then the summary.
 */
public final class BatchRun {
  /** Lines waiting to be written beyond which no more sources are started. */
  static final long BACKLOG_LIMIT = 4L * 1024 * 1024;
  private static final Buffer NEWLINE = Buffer.buffer("\n");
  private final BatchOptions options;
  private final FaninConfig config;
  private final RunSettings settings;
  private final RunInput input;
  private final Checkpoint checkpoint;
  private final OutputStream out;
  private final PrintStream err;
  private final ProgressMode progressMode;
  private final Tally tally;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  // set once the run started on its loop
  private volatile LineWriter writer;
  private volatile Progress progress;
  private volatile Snapshot snapshot;
  private volatile long startNanos;
  private volatile UrlSources sources;
  private Vertx vertx;
  private volatile Context context;
  /** Cancels the running aggregation (on its loop), once it started. */
  private volatile java.util.function.Consumer<String> cancel;
  private long snapshotTimer = -1;
  /** Sources handed to the pipeline and not finished, by id: their origins, for "waiting on". */
  private final Map<String, String> originOf = new HashMap<>();
  private final Map<String, int[]> perOrigin = new HashMap<>();
  private volatile String readFailure;
  /** How the aggregation of a definition or feed ended (null for a URL list, or before the end). */
  private volatile AggregateSummary aggregateSummary;
  /** The slowest sources, for the report's waterfall; null without --report. */
  private final Waterfall waterfall;

  private BatchRun(BatchOptions options, FaninConfig config, RunSettings settings, RunInput input,
      Checkpoint checkpoint, OutputStream out, PrintStream err, ProgressMode progressMode) {
    this.options = options;
    this.config = config;
    this.settings = settings;
    this.input = input;
    this.checkpoint = checkpoint;
    this.out = out;
    this.err = err;
    this.progressMode = progressMode;
    this.tally = new Tally(checkpoint.ok(), checkpoint.failed(), checkpoint.sumLatencyMs());
    this.waterfall = options.report() == null ? null : new Waterfall();
  }

  /**
   * Checks the options against the configuration, reads and checks the input, reads the checkpoint
   * (--resume) and opens the output. Blocking; throws {@link UsageError} when the run cannot go, and
   * then nothing was fetched (and no output file changed, unless it was the checkpoint's partial
   * last line).
   */
  public static BatchRun prepare(BatchOptions options, FaninConfig config, InputStream stdin, PrintStream err,
      boolean stderrIsTerminal) {
    RunSettings settings = RunSettings.of(options, config);
    DefinitionParser parser = new DefinitionParser(config);
    checkReportFile(options);
    RunInput input = RunInput.read(options, config, settings, parser, stdin);
    try {
      Checkpoint checkpoint = options.resume() ? Checkpoint.read(options.out()) : Checkpoint.none();
      OutputStream out = open(options);
      return new BatchRun(options, config, settings, input.resumedFrom(checkpoint), checkpoint, out, err,
          Progress.decide(options.progress(), stderrIsTerminal));
    } catch (RuntimeException e) {
      input.close();
      throw e;
    }
  }

  private static void checkReportFile(BatchOptions options) {
    if (options.report() == null) {
      return;
    }
    java.nio.file.Path parent = options.report().toAbsolutePath().getParent();
    if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
      throw new UsageError("--report " + options.report() + ": no such directory " + parent);
    }
  }

  private static OutputStream open(BatchOptions options) {
    if (options.out() == null) {
      return new FileOutputStream(FileDescriptor.out);
    }
    try {
      return new FileOutputStream(options.out().toFile(), options.resume());
    } catch (IOException e) {
      throw new UsageError("--out " + options.out() + ": cannot write: " + e.getMessage());
    }
  }

  /** Whether a source names the demo upstream, which then has to run. */
  public boolean needsDemo() {
    return input.usesDemo();
  }

  /**
   * The run's own verticle: its start builds the run's aggregator on its event loop (it sends from
   * the other loops' lanes too) and starts the run; its stop closes the aggregator.
   */
  public VerticleBase verticle(AggregatorFactory aggregators) {
    return new VerticleBase() {
      private Aggregator aggregator;

      @Override
      public Future<?> start() {
        aggregator = aggregators.create(vertx, true);
        begin(vertx, context, aggregator);
        return Future.succeededFuture();
      }

      @Override
      public Future<?> stop() {
        aggregator.close();
        return Future.succeededFuture();
      }
    };
  }

  /** Completes with the exit code once the output is complete (or could not be written). */
  public CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  private void begin(Vertx vertx, Context context, Aggregator aggregator) {
    this.vertx = vertx;
    this.context = context;
    startNanos = System.nanoTime();
    writer = new LineWriter(out, tally);
    snapshot = snap();
    snapshotTimer = vertx.setPeriodic(Progress.BAR_EVERY_MS, t -> snapshot = snap());
    progress = Progress.of(progressMode, err, () -> snapshot);
    progress.start();
    RunInfo info = new RunInfo(RunInfo.requestId(null), input.feedName(), null, null, null);
    Listener listener = new Listener();
    try {
      if (input.spec() != null) {
        AggregationSpec spec = input.spec();
        if (spec.sources().isEmpty()) {
          end(new AggregateSummary(true, 0, 0, 0, true, false, null));
          return;
        }
        spec.sources().forEach(this::handedOver);
        Aggregation run = aggregator.start(spec, listener, info);
        cancel = run::cancel;
        run.summary().onComplete(this::ended);
      } else {
        sources = new UrlSources(input.urls(), new DefinitionParser(config), settings, checkpoint.done());
        StreamedAggregation.Bounds bounds = new StreamedAggregation.Bounds(
            settings.deadlineMs() == null ? 0 : settings.deadlineMs(),
            settings.concurrency() != null ? settings.concurrency() : config.aggregate().defaultConcurrency(),
            settings.rate(), config.batch().allowPrivateNetworks());
        StreamedAggregation run = aggregator.startStream(bounds, max -> next(context, max), listener, info);
        cancel = run::cancel;
        run.summary().onComplete(this::ended);
      }
    } catch (IOException | RuntimeException e) {
      readFailure = e.getMessage();
      end(null);
    }
  }

  /** More sources from the list, once the output has room for their results. */
  private Future<List<SourceSpec>> next(Context context, int max) {
    return writer.room(BACKLOG_LIMIT, context)
        .compose(v -> vertx.executeBlocking(() -> sources.next(max), true))
        .andThen(ar -> {
          if (ar.succeeded()) {
            ar.result().forEach(this::handedOver);
          } else {
            readFailure = input.label() + ": " + ar.cause().getMessage();
          }
        });
  }

  private void handedOver(SourceSpec source) {
    String origin = origin(source.url());
    originOf.put(source.id(), origin);
    perOrigin.computeIfAbsent(origin, o -> new int[1])[0]++;
  }

  private void finished(String id) {
    String origin = originOf.remove(id);
    if (origin != null) {
      int[] n = perOrigin.get(origin);
      if (--n[0] == 0) {
        perOrigin.remove(origin);
      }
    }
  }

  private static String origin(URI url) {
    int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    return url.getHost() + ":" + port;
  }

  /**
   * Hands each result to the writer as the HTTP stream's NDJSON line and, with --report, to the
   * waterfall (on the run's loop: the aggregation delivers there).
   */
  private final class Listener implements ResultListener {
    private ByteBudget budget = new ByteBudget(Long.MAX_VALUE / 4);

    @Override
    public void attach(ByteBudget budget) {
      this.budget = budget;
    }

    @Override
    public void onResult(int index, SourceResult result) {
      finished(result.id());
      long dataBytes = result.data() == null ? 0 : result.data().size();
      Buffer line = ResultJson.append(ResultJson.sized(result), result, "result").appendBuffer(NEWLINE);
      // the encoded line replaces the data until it has been written, as in the HTTP stream
      int lineBytes = line.length();
      ByteBudget held = budget;
      held.force(lineBytes);
      held.giveBack(dataBytes);
      if (!writer.offer(line, result.ok(), result.latencyMs(), () -> held.giveBack(lineBytes))) {
        held.giveBack(lineBytes);
        return;
      }
      if (!result.ok() && !result.optional()) {
        tally.requiredFailed();
      }
      if (waterfall != null) {
        waterfall.add(result);
      }
    }
  }

  private void ended(AsyncResult<AggregateSummary> done) {
    if (done.failed()) {
      readFailure = done.cause().toString();
      end(null);
    } else {
      end(done.result());
    }
  }

  /** The run is over: the summary goes after every result, then the exit code. */
  private void end(AggregateSummary summary) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    this.aggregateSummary = summary;
    if (snapshotTimer >= 0) {
      vertx.cancelTimer(snapshotTimer);
    }
    SummaryLine line = summary(summary == null ? 0 : summary.durationMs(), summary, false);
    writer.finish(line::encode).whenComplete((v, failure) -> {
      progress.finish(finalSnapshot(), false);
      report(line);
      closeInput();
      if (failure != null) {
        err.println("fanin run: cannot write " + outputName() + ": " + failure.getMessage());
        exitCode.complete(1);
      } else if (readFailure != null) {
        err.println("fanin run: " + readFailure);
        exitCode.complete(1);
      } else {
        exitCode.complete(success(line) ? 0 : 1);
      }
    });
  }

  /**
   * Ctrl-C or SIGTERM (a shutdown hook): accepts no more results, writes those received and the
   * summary, and returns; the JVM then exits with 130 or 143. Waits at most a few seconds.
   */
  public void interrupt() {
    LineWriter w = writer;
    if (w == null) {
      return; // nothing started: nothing to write
    }
    try {
      if (!ended.compareAndSet(false, true)) {
        exitCode.get(10, TimeUnit.SECONDS); // the normal end is writing already
        return;
      }
      w.refuse();
      long duration = (System.nanoTime() - startNanos) / 1_000_000;
      SummaryLine line = summary(duration, null, true);
      w.finish(line::encode).get(10, TimeUnit.SECONDS);
      progress.finish(finalSnapshot(), true);
      report(line);
      stopFetching();
    } catch (Exception e) {
      err.println("fanin run: interrupted, and the output may lack its last lines: " + e);
    } finally {
      closeInput();
    }
  }

  /**
   * Resets the requests still in flight (they end cancelled, which no origin is blamed for, and
   * their results go nowhere), so that closing the process does not look like an upstream failing.
   */
  private void stopFetching() throws Exception {
    java.util.function.Consumer<String> c = cancel;
    Context loop = context;
    if (c == null || loop == null) {
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.runOnContext(v -> {
      try {
        c.accept("the run was interrupted");
      } finally {
        done.complete(null);
      }
    });
    done.get(2, TimeUnit.SECONDS);
  }

  private SummaryLine summary(long durationMs, AggregateSummary summary, boolean interrupted) {
    long duplicates = sources == null ? 0 : sources.duplicates();
    long resumed = resumed();
    long ok = tally.ok();
    long failed = tally.failed();
    long notStarted = Math.max(0, input.total() - duplicates - resumed - writtenNow());
    boolean complete = failed == 0 && notStarted == 0;
    return new SummaryLine(complete, durationMs, ok, failed, duplicates, resumed, notStarted, tally.sumLatencyMs(),
        interrupted, summary != null && summary.items() != null ? summary : null);
  }

  /** Result lines this run wrote (or queued). */
  private long writtenNow() {
    return tally.ok() + tally.failed() - checkpoint.results();
  }

  /** Results the checkpoint already had, of this input. */
  private long resumed() {
    return sources != null ? sources.resumed() : input.resumed();
  }

  /** Every source (of a definition: every required one) ok, every source run, all read. */
  private boolean success(SummaryLine line) {
    if (line.notStarted() > 0) {
      return false;
    }
    if (input.spec() != null && input.spec().complete().early() && aggregateSummary != null) {
      return aggregateSummary.requiredOk(); // a completion policy decides, as it decides the HTTP status
    }
    if (input.spec() != null) {
      return !tally.anyRequiredFailed() && !input.requiredFailedBefore();
    }
    return line.failed() == 0;
  }

  private void report(SummaryLine line) {
    if (options.report() == null) {
      return;
    }
    int concurrency = settings.concurrency() != null ? settings.concurrency()
        : input.spec() != null ? input.spec().concurrency() : config.aggregate().defaultConcurrency();
    try {
      Report.write(options.report(), new Report.Figures(input.label(), line.durationMs(), line.sumLatencyMs(),
          line.ok(), line.failed(), line.duplicates(), line.resumed(), line.notStarted(), concurrency,
          line.interrupted(), waterfall.shown()));
    } catch (IOException e) {
      err.println("fanin run: cannot write the report " + options.report() + ": " + e.getMessage());
    }
  }

  private void closeInput() {
    try {
      if (sources != null) {
        sources.close();
      }
    } catch (IOException e) {
      // nothing more to read anyway
    }
    input.close();
  }

  private String outputName() {
    return options.out() == null ? "standard output" : options.out().toString();
  }

  /** Where the run stands, with the origin most sources wait on (on the run's loop only). */
  private Snapshot snap() {
    String slow = null;
    int most = 0;
    for (Map.Entry<String, int[]> e : perOrigin.entrySet()) {
      if (e.getValue()[0] > most) {
        most = e.getValue()[0];
        slow = e.getKey();
      }
    }
    return snapshot(slow, most);
  }

  /** Where the run ended (from any thread: only counters safe to read anywhere). */
  private Snapshot finalSnapshot() {
    return snapshot(null, 0);
  }

  private Snapshot snapshot(String slow, int most) {
    long duplicates = sources == null ? 0 : sources.duplicates();
    long resumed = resumed();
    long elapsed = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
    long results = writtenNow();
    return new Snapshot(input.total(), Math.min(input.total(), resumed + duplicates + results), tally.ok(),
        tally.failed(), duplicates, resumed, results, elapsed, slow, most);
  }
}
