package dev.fanin.aggregate;

import dev.fanin.fetch.ClientBudgets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who asked for an aggregation: the request id (the client's X-Request-Id when usable, otherwise a
 * new one; sent upstream too), the feed's name when a named feed runs, the Via the request arrived
 * with (passed on upstream, so loops through other fanins are seen) or null, the client: the id
 * of the API key it came with, or null without keys, and whose upstream budget it draws on (see
 * ClientBudgets; null for none).
 */
public record RunInfo(String requestId, String feed, String via, String client, String budget) {
  private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** The client's id when it is safe to log and forward, otherwise a fresh one. */
  public static String requestId(String fromClient) {
    return fromClient != null && USABLE.matcher(fromClient).matches() ? fromClient : UUID.randomUUID().toString();
  }

  /** A run nobody in particular asked for (embedding, tests): no budget. */
  public static RunInfo anonymous() {
    return new RunInfo(UUID.randomUUID().toString(), null, null, null, null);
  }

  /**
   * A scheduled run of a feed, on the upstream budget of the feed's owner: its API key id, or the
   * address of the anonymous client that created it; with neither, the budget of ownerless scheduled
   * runs.
   */
  public static RunInfo scheduled(String feed, String ownerKey, String ownerAddress) {
    String budget = ownerKey != null ? ClientBudgets.forKey(ownerKey)
        : ownerAddress != null ? ClientBudgets.forAddress(ownerAddress) : ClientBudgets.SCHEDULED;
    return new RunInfo(UUID.randomUUID().toString(), feed, null, ownerKey, budget);
  }

  public RunInfo withFeed(String name) {
    return new RunInfo(requestId, name, via, client, budget);
  }
}
