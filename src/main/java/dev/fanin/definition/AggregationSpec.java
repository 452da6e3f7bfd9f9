package dev.fanin.definition;

import java.util.List;

/**
 * A validated feed definition: the sources to fetch and the bounds of one aggregation.
 *
 * @param trusted comes from operator configuration (a read-only feed), which the upstream policy
 *     lets reach private networks
 * @param rate the definition's own rate per origin ("rate"), or null
 * @param complete when the aggregation has its answer ("complete"); {@link CompletionSpec#ALL} by default
 */
public record AggregationSpec(List<SourceSpec> sources, int deadlineMs, int concurrency, MergeSpec merge,
    boolean trusted, RateSpec rate, CompletionSpec complete) {

  public AggregationSpec(List<SourceSpec> sources, int deadlineMs, int concurrency) {
    this(sources, deadlineMs, concurrency, MergeSpec.NONE, false, null, CompletionSpec.ALL);
  }

  public AggregationSpec withTrusted(boolean trusted) {
    return new AggregationSpec(sources, deadlineMs, concurrency, merge, trusted, rate, complete);
  }
}
