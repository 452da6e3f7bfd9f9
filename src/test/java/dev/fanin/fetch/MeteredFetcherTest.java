package dev.fanin.fetch;

import static dev.fanin.testing.ScriptedFetcher.failing;
import static dev.fanin.testing.ScriptedFetcher.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.fanin.metrics.FaninMetrics;
import dev.fanin.testing.Fetches;
import dev.fanin.testing.ScriptedFetcher;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

/** Every attempt is timed by origin and outcome, and passed on untouched. */
class MeteredFetcherTest {
  final FaninMetrics metrics = FaninMetrics.standalone();

  long count(String origin, String outcome) {
    Timer timer = metrics.registry().find("fanin.upstream.latency").tags("origin", origin, "outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void attemptsAreTimedByOriginAndStatusClassOrErrorKind() {
    ScriptedFetcher upstream = new ScriptedFetcher(status(200), status(204), status(503), failing(ErrorKind.TIMEOUT));
    MeteredFetcher metered = new MeteredFetcher(upstream, metrics);
    for (int i = 0; i < 4; i++) {
      metered.fetch(Fetches.get("http://A.example/x?i=" + i, Fetches.context(5000)));
    }
    metered.fetch(Fetches.get("https://b.example/y", Fetches.context(5000)));
    assertEquals(2, count("http://a.example:80", "2xx"));
    assertEquals(1, count("http://a.example:80", "5xx"));
    assertEquals(1, count("http://a.example:80", "timeout"));
    assertEquals(1, count("https://b.example:443", "timeout"), "the last step repeats: a timeout");
  }

  @Test
  void theOutcomeIsPassedOnUntouched() {
    FetchResponse response = ScriptedFetcher.status(201).apply(null).result();
    FetchException failure = new FetchException(ErrorKind.CONNECT, "refused");
    Future<FetchResponse> answered = new MeteredFetcher(r -> Future.succeededFuture(response), metrics)
        .fetch(Fetches.get("http://a.example/x", Fetches.context(5000)));
    Future<FetchResponse> failed = new MeteredFetcher(r -> Future.failedFuture(failure), metrics)
        .fetch(Fetches.get("http://a.example/x", Fetches.context(5000)));
    assertSame(response, answered.result());
    assertSame(failure, failed.cause());
  }
}
