package dev.fanin.http;

import dev.fanin.aggregate.RunInfo;
import dev.fanin.config.FaninConfig;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.fetch.ClientBudgets;

/**
 * Refuses, before anything is sent, an aggregation its client's upstream budget could never let
 * go within its deadline: even with a full burst, its sources need more requests than the rate
 * allows by then (429, naming the limit). One that fits may still wait for tokens while it runs.
 */
final class BudgetFit {
  private BudgetFit() {}

  static void check(ClientBudgets budgets, AggregationSpec spec, RunInfo info) {
    if (info.budget() == null) {
      return;
    }
    FaninConfig.ClientBudget budget = budgets.budgetOf(info.budget());
    double rate = budget.upstreamPerSecond();
    if (rate <= 0) {
      return;
    }
    int burst = Math.max(1, budget.upstreamBurst());
    long most = (long) Math.floor(burst + rate * spec.deadlineMs() / 1000.0);
    int needed = spec.sources().size();
    if (needed > most) {
      throw new ProblemException(Problem.of(429, "client-budget", "Beyond the client's upstream budget",
          "the aggregation has " + needed + " sources, and the client's upstream budget (upstreamPerSecond "
              + rate + ", upstreamBurst " + burst + " in security.clientBudget or its API key) lets at most " + most
              + " requests go within its deadline of " + spec.deadlineMs() + " ms"));
    }
  }
}
