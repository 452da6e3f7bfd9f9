package dev.fanin.http;

import dev.fanin.aggregate.AggregatorFactory;
import dev.fanin.cluster.ClusterView;
import dev.fanin.cluster.PollerView;
import dev.fanin.config.LiveConfig;
import dev.fanin.feeds.FeedRunHub;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.fetch.ClientBudgets;
import dev.fanin.fetch.OriginGates;
import dev.fanin.policy.LoopMark;
import dev.fanin.security.ApiKeys;
import dev.fanin.security.RateLimiter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process-wide parts the HTTP intake uses, each built once by the composition root
 * (dev.fanin.Fanin) and shared by every intake verticle.
 *
 * @param aggregators builds each intake loop's aggregator (its own upstream client)
 * @param ready whether every verticle is deployed (readiness)
 */
public record IntakeParts(
    LiveConfig live,
    AggregatorFactory aggregators,
    ApiKeys keys,
    RateLimiter rates,
    LoopMark mark,
    FeedRunHub hub,
    PrometheusMeterRegistry metrics,
    BreakerRegistry breakers,
    AtomicBoolean ready,
    PollerView pollers,
    ClusterView cluster,
    OriginGates origins,
    ClientBudgets clients) {}
