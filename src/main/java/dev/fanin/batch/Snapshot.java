package dev.fanin.batch;

/**
 * Where a run stands, for its progress line.
 *
 * @param total sources in the input (duplicates and resumed ones included)
 * @param done of those: with a result written, or skipped (duplicates, resumed)
 * @param fetchedNow results of this run (the rate counts these)
 * @param slowOrigin the origin with the most sources waiting or in flight, or null
 * @param slowOriginSources how many
 */
record Snapshot(long total, long done, long ok, long failed, long duplicates, long resumed, long fetchedNow,
    long elapsedMs, String slowOrigin, int slowOriginSources) {}
