package dev.fanin.definition;

/**
 * How a source uses the response cache.
 *
 * @param enabled false to bypass the cache for this source
 * @param ttlMs how long an answer is fresh when the upstream's headers don't say
 * @param staleIfErrorMs how long past freshness a stored answer may stand in when the upstream fails
 */
public record CacheSpec(boolean enabled, long ttlMs, long staleIfErrorMs) {}
