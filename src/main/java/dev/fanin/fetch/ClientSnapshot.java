package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;

/**
 * One client's upstream budget as GET /v1/clients shows it.
 *
 * @param client "key:ID", "addr:ADDRESS", "bus" or "scheduled"
 * @param tokens upstream requests it could start at once under its rate now (negative: reserved ahead),
 *     or -1 when it has no rate
 * @param sent upstream requests its budget let go since fanin last forgot it (10 minutes idle)
 * @param throttled of those, the ones an upstream answered with 429
 * @param refused requests that ended rate_limited because of this budget
 */
public record ClientSnapshot(String client, FaninConfig.ClientBudget budget, double tokens, int inFlight,
    int waiting, long sent, long throttled, long refused) {}
