package dev.fanin.config;

import java.util.List;
import java.util.Set;

/** The validated, typed configuration of one fanin process. */
public record FaninConfig(
    Http http,
    Aggregate aggregate,
    Source source,
    Retry retry,
    Breaker breaker,
    Client client,
    Demo demo,
    Feeds feeds,
    Upstream upstream,
    Security security,
    Log log,
    Metrics metrics,
    Cache cache,
    Cluster cluster,
    Batch batch,
    Tracing tracing) {

  /** The HTTP intake: where to listen, how much a request may weigh, and which browser apps may call. */
  public record Http(String host, int port, int instances, int maxBodyBytes, int maxHeaderBytes,
      int shutdownGraceMs, int idleTimeoutSeconds, int requestHeadTimeoutMs, int maxHeaders, int writeStallMs,
      int warmupMs, Cors cors) {}

  /**
   * CORS: the origins of browser apps allowed to call fanin, each "scheme://host[:port]" as browsers
   * send it (lower case, no default port), or "*" for any. Empty: no CORS headers at all.
   */
  public record Cors(List<String> allowOrigins) {}

  /** Limits and defaults of one aggregation. */
  public record Aggregate(
      int maxSources,
      int defaultDeadlineMs,
      int maxDeadlineMs,
      int defaultConcurrency,
      int maxConcurrency,
      long maxAggregateBytes,
      int maxInFlight,
      long maxProcessBytes,
      int maxDependencyDepth,
      int maxExpansion) {}

  /** Limits and defaults of one source. */
  public record Source(
      int defaultTimeoutMs, int maxTimeoutMs, int defaultRetries, int maxRetries, long maxBodyBytes) {}

  /** Backoff between retries: exponential from initialBackoffMs, capped, with full jitter. */
  public record Retry(int initialBackoffMs, int maxBackoffMs) {}

  /** Per-origin circuit breaker thresholds. */
  /** @param minTimeoutMs per-attempt timeouts shorter than this never count against an origin */
  public record Breaker(int maxFailures, int resetTimeoutMs, int rollingWindowMs, int maxOrigins, int minTimeoutMs) {}

  /** The upstream HTTP client: connect timeout and per-origin connection pool. */
  public record Client(
      int connectTimeoutMs, int maxConnections, int maxConnectionsPerOrigin, int maxWaitQueue,
      int keepAliveSeconds) {}

  /**
   * Named feeds: where API-created feeds persist (dataDir), where read-only operator feeds are
   * loaded from (confDir), and their bounds.
   */
  public record Feeds(String dataDir, String confDir, int maxFeeds, int minScheduleMs, int maxParams,
      int maxSubscribers, int maxSubscribersPerFeed) {}

  /**
   * Where fanin may send requests: schemes, host and port allow- and deny-lists, whether private
   * networks may be reached, and how many redirects are followed.
   */
  public record Upstream(
      boolean allowPrivateNetworks,
      List<String> privateHosts,
      List<String> schemes,
      List<String> allowHosts,
      List<String> denyHosts,
      List<Integer> allowPorts,
      List<Integer> denyPorts,
      int maxRedirects,
      List<OriginRule> origins,
      boolean adaptive,
      int hedgeBudgetPercent) {}

  /**
   * An operator's rule for the origins it matches (the first matching rule applies).
   *
   * @param match "api.example.com", "*.example.com" or "host:port" (lower case)
   * @param ratePerSecond requests a second fanin sends there, 0 for no rate
   * @param burst requests it may send at once within the rate
   * @param perDay requests a UTC day, 0 for no daily budget
   * @param maxConcurrency requests in flight there, 0 for client.maxConnectionsPerOrigin
   * @param softLimitPointer a JSON Pointer whose presence in a JSON answer means "limit hit", or null
   * @param hedge when to hedge requests to the origin (a source's own hedge wins), or null
   */
  public record OriginRule(String match, double ratePerSecond, int burst, long perDay, int maxConcurrency,
      String softLimitPointer, HedgeSpec hedge) {

    public OriginRule(String match, double ratePerSecond, int burst, long perDay, int maxConcurrency,
        String softLimitPointer) {
      this(match, ratePerSecond, burst, perDay, maxConcurrency, softLimitPointer, null);
    }

    /** Whether this rule applies to the origin at {@code host} (lower case) and {@code port}. */
    public boolean matches(String host, int port) {
      int colon = match.lastIndexOf(':');
      String hostPart = colon < 0 ? match : match.substring(0, colon);
      if (colon >= 0 && Integer.parseInt(match.substring(colon + 1)) != port) {
        return false;
      }
      return hostPart.startsWith("*.") ? host.endsWith(hostPart.substring(1)) : host.equals(hostPart);
    }

    /** The first rule of {@code rules} that applies to the origin, or null. */
    public static OriginRule first(List<OriginRule> rules, String host, int port) {
      for (OriginRule rule : rules) {
        if (rule.matches(host, port)) {
          return rule;
        }
      }
      return null;
    }
  }

  /**
   * Who may call the API: API keys (stored as SHA-256 hashes) with scopes, whether anonymous
   * access off loopback is allowed, and each key's request rate.
   */
  public record Security(
      List<ApiKey> apiKeys,
      boolean allowAnonymous,
      int requestsPerSecondPerKey,
      int burstPerKey,
      ClientBudget clientBudget) {}

  /**
   * One API key: an id for logs, the SHA-256 of the secret (hex), what it may do, and its budget
   * (security.clientBudget with the key's own values over it).
   */
  public record ApiKey(String id, byte[] sha256, Set<String> scopes, ClientBudget budget) {

    /** A key with the default budget. */
    public ApiKey(String id, byte[] sha256, Set<String> scopes) {
      this(id, sha256, scopes, ClientBudget.DEFAULT);
    }
  }

  /**
   * What one client (an API key, or an anonymous client's address) may make fanin send upstream,
   * across all of its aggregations and feeds; 0 means no limit.
   *
   * @param upstreamPerSecond upstream requests a second (retries and redirect hops count)
   * @param upstreamBurst upstream requests it may send at once within that rate
   * @param maxUpstreamInFlight upstream requests in flight at once
   * @param maxScheduledFeeds scheduled feeds it may have
   * @param maxScheduledPerSecond upstream requests a second its scheduled feeds may make together
   *     (each feed's sources divided by its interval)
   */
  public record ClientBudget(double upstreamPerSecond, int upstreamBurst, int maxUpstreamInFlight,
      int maxScheduledFeeds, double maxScheduledPerSecond) {
    /** The built-in defaults (fanin-defaults.json says the same). */
    public static final ClientBudget DEFAULT = new ClientBudget(1000, 2000, 1000, 100, 100);

    /** The config keys of a budget, in security.clientBudget and in each API key. */
    public static final Set<String> FIELDS = Set.of("upstreamPerSecond", "upstreamBurst", "maxUpstreamInFlight",
        "maxScheduledFeeds", "maxScheduledPerSecond");
  }

  /** Logging: the root level and json (one JSON object per line) or plain text. */
  public record Log(String level, String format) {}

  /**
   * OpenTelemetry traces: off by default (then no tracer exists at all); exported over OTLP
   * http/protobuf to {@code otlpEndpoint} when it is set (else null), and/or printed to the log
   * when {@code console}.
   */
  public record Tracing(boolean enabled, String otlpEndpoint, boolean console, String serviceName) {}

  /** Metrics: how many origins get their own label before further ones are dropped. */
  public record Metrics(int maxOrigins) {}

  /** The shared response cache: its byte bound and the defaults of sources that don't say. */
  /**
   * @param clientSharePercent the share of maxBytes one client's entries may hold
   * @param credentialHeaders request headers that carry credentials (lower case), besides
   *     Authorization, Cookie and Proxy-Authorization
   */
  public record Cache(boolean enabled, long maxBytes, long defaultTtlMs, long defaultStaleIfErrorMs,
      int clientSharePercent, List<String> credentialHeaders) {

    /** The most bytes one client's entries may hold. */
    public long clientShareBytes() {
      return Math.max(1, maxBytes / 100 * clientSharePercent + maxBytes % 100 * clientSharePercent / 100);
    }
  }

  /** The built-in demo upstream, on a loopback port of its own (0: any free port). */
  public record Demo(boolean enabled, int port) {}

  /**
   * Clustering through Hazelcast: whether to join, the cluster's name, this member's bind address
   * and port, the address other members reach it at (publicHost, empty for host), how members are
   * found (tcp with the members list, or kubernetes through a headless service), and the event
   * bus's TCP port (0 for any free port). lockRetryMs bounds how long a node waits before trying
   * again to take over a scheduled feed whose poller is gone.
   */
  public record Cluster(
      boolean enabled,
      String name,
      String host,
      int port,
      String publicHost,
      List<String> members,
      String discovery,
      String kubernetesNamespace,
      String kubernetesService,
      int busPort,
      int lockRetryMs) {}

  /**
   * Batch runs ({@code fanin run}), whose operator runs them by hand or from cron.
   *
   * @param allowPrivateNetworks a run's sources may reach loopback and private networks, as an
   *     operator's feed may (upstream.allowPrivateNetworks binds the service's clients)
   */
  public record Batch(boolean allowPrivateNetworks) {}
}
