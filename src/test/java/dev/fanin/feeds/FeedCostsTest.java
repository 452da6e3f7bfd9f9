package dev.fanin.feeds;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fanin.config.FaninConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What scheduled feeds cost their owners, and the checks against the owners' budgets. */
class FeedCostsTest {
  static final FeedClient ALICE = FeedClient.key("alice");
  final AtomicReference<FaninConfig.ClientBudget> budget = new AtomicReference<>(budget(2, 5));
  final FeedCosts costs = new FeedCosts(new ClientSettings(() -> new FaninConfig.Security(
      List.of(new FaninConfig.ApiKey("alice", new byte[32], java.util.Set.of("feeds:write"), budget.get())),
      false, 0, 0, budget(0, 0))));

  static FaninConfig.ClientBudget budget(int feeds, double perSecond) {
    return new FaninConfig.ClientBudget(0, 0, 0, feeds, perSecond);
  }

  static Feed feed(String name, int upstreamPerRun, long everyMs) {
    return new Feed(name, new JsonObject(), Map.of(), everyMs > 0 ? new Schedule(everyMs) : null, false, "\"e\"",
        upstreamPerRun);
  }

  static void overBudget(Runnable check, String why) {
    assertEquals(FeedException.Reason.OVER_BUDGET, assertThrows(FeedException.class, check::run).reason(), why);
  }

  @Test
  void aFeedIsCountedOnceUnderItsNameAndDeletingFreesIt() {
    costs.apply("a", ALICE, feed("a", 3, 1000));
    costs.apply("a", ALICE, feed("a", 4, 1000));
    costs.apply("b", ALICE, feed("b", 1, 1000));
    overBudget(() -> costs.check(ALICE, feed("c", 1, 60_000)), "2 feeds already");
    assertDoesNotThrow(() -> costs.check(ALICE, feed("a", 4, 1000)), "4 + 1 = 5 a second");
    overBudget(() -> costs.check(ALICE, feed("a", 5, 1000)), "5 + 1 = 6 a second");
    costs.apply("b", ALICE, null);
    assertDoesNotThrow(() -> costs.check(ALICE, feed("c", 1, 1000)));
    assertDoesNotThrow(() -> costs.check(ALICE, feed("c", 1000, 0)), "feeds without a schedule cost nothing");
  }

  @Test
  void anOwnerOverALoweredBudgetMayStillShrink() {
    costs.apply("a", ALICE, feed("a", 4, 1000));
    costs.apply("b", ALICE, feed("b", 1, 1000));
    budget.set(budget(1, 2));
    assertDoesNotThrow(() -> costs.check(ALICE, feed("a", 3, 1000)), "4/s + 1/s → 3/s + 1/s");
    assertDoesNotThrow(() -> costs.check(ALICE, feed("b", 1, 1000)), "the same cost again");
    overBudget(() -> costs.check(ALICE, feed("b", 2, 1000)), "a rise while over");
    overBudget(() -> costs.check(ALICE, feed("c", 1, 60_000)), "a third feed while over");
  }

  @Test
  void feedsOfNobodyCostNobodyAndAnonymousAddressesEachHaveTheDefaults() {
    costs.apply("n", FeedClient.NONE, feed("n", 1000, 1000));
    assertDoesNotThrow(() -> costs.check(FeedClient.NONE, feed("m", 1000, 1000)));
    FeedClient one = FeedClient.anonymous("10.0.0.1");
    costs.apply("x", one, feed("x", 1000, 1000));
    assertDoesNotThrow(() -> costs.check(FeedClient.anonymous("10.0.0.2"), feed("y", 1000, 1000)),
        "security.clientBudget here is 0: no limit");
  }
}
