package dev.fanin.definition;

/**
 * A definition's own rate ({@code "rate": {"perSecond": 10, "burst": 10}}): requests a second to
 * each origin within one aggregation (or one batch run), which can only tighten the operator's rule.
 */
public record RateSpec(double perSecond, int burst) {}
