package dev.fanin.feeds;

import dev.fanin.config.FaninConfig;
import dev.fanin.feeds.FeedException.Reason;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * What each client's scheduled feeds cost: how many it owns, and the upstream requests a second
 * they may make together (each feed's sources, each counted once plus its retries, per second of its
 * interval). Kept in step with the feeds this node applies, and checked against the owner's budget
 * (maxScheduledFeeds, maxScheduledPerSecond; 0 = no limit) when a feed is put: a feed being replaced
 * counts only once. A change that does not raise the owner's count or rate always passes, so that a
 * client over a budget that was lowered can still shrink. Feeds that belong to nobody cost nobody.
 * Confined to the registry's event loop.
 */
final class FeedCosts {
  /** Rates are sums of fractions: this much above a limit is rounding, not a request. */
  private static final double EPSILON = 1e-9;
  private final ClientSettings settings;
  /** Each scheduled feed's account, by name. */
  private final Map<String, String> accounts = new HashMap<>();
  /** Each account's scheduled feeds, with their upstream requests a second. */
  private final Map<String, Map<String, Double>> byAccount = new HashMap<>();

  FeedCosts(ClientSettings settings) {
    this.settings = settings;
  }

  /** This node applied a version of a feed (null: a tombstone, or none). */
  void apply(String name, FeedClient owner, Feed feed) {
    String was = accounts.remove(name);
    if (was != null) {
      Map<String, Double> feeds = byAccount.get(was);
      feeds.remove(name);
      if (feeds.isEmpty()) {
        byAccount.remove(was);
      }
    }
    String account = owner.account();
    if (feed != null && feed.schedule() != null && account != null) {
      accounts.put(name, account);
      byAccount.computeIfAbsent(account, a -> new HashMap<>()).put(name, feed.upstreamPerSecond());
    }
  }

  /** Throws OVER_BUDGET when putting this feed under this name would take its owner past its budget. */
  void check(FeedClient owner, Feed feed) {
    String account = owner.account();
    if (account == null || feed.schedule() == null) {
      return;
    }
    FaninConfig.ClientBudget budget = settings.budget(owner);
    Map<String, Double> feeds = byAccount.getOrDefault(account, Map.of());
    Double replaced = feeds.get(feed.name());
    int countBefore = feeds.size();
    int countAfter = countBefore + (replaced == null ? 1 : 0);
    int maxFeeds = budget.maxScheduledFeeds();
    if (maxFeeds > 0 && countAfter > maxFeeds && countAfter > countBefore) {
      throw new FeedException(Reason.OVER_BUDGET, owner.describe() + " may own at most " + maxFeeds
          + " scheduled feeds (maxScheduledFeeds) and owns " + countBefore + " already: delete one, or put "
          + feed.name() + " without a schedule");
    }
    double others = 0;
    for (Map.Entry<String, Double> e : feeds.entrySet()) {
      if (!e.getKey().equals(feed.name())) {
        others += e.getValue();
      }
    }
    double rateBefore = others + (replaced == null ? 0 : replaced);
    double rateAfter = others + feed.upstreamPerSecond();
    double maxRate = budget.maxScheduledPerSecond();
    if (maxRate > 0 && rateAfter > maxRate + EPSILON && rateAfter > rateBefore + EPSILON) {
      throw new FeedException(Reason.OVER_BUDGET, "the scheduled feeds of " + owner.describe() + " may make at most "
          + number(maxRate) + " upstream requests a second together (maxScheduledPerSecond); with " + feed.name()
          + " (" + feed.upstreamPerRun() + " requests every " + number(feed.schedule().everyMs() / 1000.0) + " s, "
          + number(feed.upstreamPerSecond()) + "/s) they would make " + number(rateAfter) + "/s, "
          + number(others) + "/s without it: schedule it less often, or give it fewer sources or retries");
    }
  }

  /** A rate as people write it: at most three decimals, no trailing zeros. */
  static String number(double value) {
    return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }
}
