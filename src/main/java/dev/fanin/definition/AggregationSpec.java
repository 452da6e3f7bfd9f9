package dev.fanin.definition;

import java.util.List;

/** A validated feed definition: the sources to fetch and the bounds of one aggregation. */
public record AggregationSpec(List<SourceSpec> sources, int deadlineMs, int concurrency) {}
