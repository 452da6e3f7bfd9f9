package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;

/**
 * One upstream origin as GET /v1/origins shows it.
 *
 * @param rule the operator's rule that applies to it, or null
 * @param limit requests in flight it allows now (adaptive)
 * @param tokens requests it could take at once now under its pace, or -1 when it is not paced
 * @param pausedForMs how long it stays paused (a Retry-After, a RateLimit reset), 0 when it is not
 * @param throttles throttling answers seen (429, 503 with Retry-After, soft limits) since fanin met it
 * @param learnedRate the rate fanin learned to send at (requests a second), 0 when it paces by rule only
 */
public record OriginSnapshot(String origin, FaninConfig.OriginRule rule, int limit, int inFlight, int waiting,
    double tokens, long pausedForMs, long throttles, double learnedRate) {}
