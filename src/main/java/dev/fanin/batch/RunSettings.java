package dev.fanin.batch;

import dev.fanin.config.FaninConfig;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.RateSpec;
import dev.fanin.definition.SourceFormat;
import dev.fanin.definition.SourceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The options of a run checked against the configuration's limits, and applied to its sources: an
 * option given overrides what a definition says; one not given leaves it (and a URL list takes
 * the configuration's defaults). Null fields: not given.
 *
 * @param deadlineMs the run's bound; null: the definition's own, none for a URL list
 */
record RunSettings(Integer concurrency, Integer timeoutMs, Integer retries, Long deadlineMs, SourceFormat format,
    RateSpec rate) {

  /** The longest --deadline: a month (a run without --deadline has none at all). */
  static final long MAX_DEADLINE_MS = 30L * 24 * 3_600_000;

  static RunSettings of(BatchOptions options, FaninConfig config) {
    within("--concurrency", options.concurrency(), config.aggregate().maxConcurrency(), "aggregate.maxConcurrency");
    within("--timeout", options.timeoutMs(), config.source().maxTimeoutMs(), "source.maxTimeoutMs");
    within("--retries", options.retries(), config.source().maxRetries(), "source.maxRetries");
    if (options.deadlineMs() != null && options.deadlineMs() > MAX_DEADLINE_MS) {
      throw new UsageError("--deadline is at most " + MAX_DEADLINE_MS + " ms (30 days); leave it out for none");
    }
    RateSpec rate = options.rate() == null ? null
        : new RateSpec(options.rate(), (int) Math.max(1, Math.ceil(options.rate())));
    return new RunSettings(options.concurrency(), options.timeoutMs(), options.retries(), options.deadlineMs(),
        options.format(), rate);
  }

  private static void within(String option, Integer value, int max, String key) {
    if (value != null && value > max) {
      throw new UsageError(option + " is at most " + max + " (" + key + "), not " + value);
    }
  }

  /** A source with the options that apply to each source. */
  SourceSpec apply(SourceSpec s) {
    if (timeoutMs == null && retries == null && format == null) {
      return s;
    }
    return new SourceSpec(s.id(), s.url(), s.method(), s.headers(), s.body(), s.contentType(),
        timeoutMs != null ? timeoutMs : s.timeoutMs(), retries != null ? retries : s.retries(), s.optional(),
        format != null ? format : s.format(), s.projection(), s.cache(), s.secretHeaders(), s.keepBodyOnRedirect(),
        s.hedge(), s.template());
  }

  /**
   * A definition with the options applied. A --format that a source's select or fields cannot go
   * with is a usage error naming the source.
   */
  AggregationSpec apply(AggregationSpec spec, String label) {
    List<SourceSpec> sources = new ArrayList<>(spec.sources().size());
    for (int i = 0; i < spec.sources().size(); i++) {
      SourceSpec s = spec.sources().get(i);
      if (format != null && (format == SourceFormat.TEXT || format == SourceFormat.FEED) && !s.projection().isNone()) {
        throw new UsageError(label + ": /sources/" + i + " has select or fields, which apply to JSON answers only, not"
            + " with --format " + format.name().toLowerCase(Locale.ROOT));
      }
      sources.add(apply(s));
    }
    int deadline = deadlineMs == null ? spec.deadlineMs() : (int) Math.min(Integer.MAX_VALUE, deadlineMs);
    return new AggregationSpec(List.copyOf(sources), deadline, concurrency != null ? concurrency : spec.concurrency(),
        spec.merge(), spec.trusted(), rate != null ? rate : spec.rate(), spec.complete());
  }
}
