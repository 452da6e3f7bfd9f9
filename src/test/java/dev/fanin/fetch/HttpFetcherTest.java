package dev.fanin.fetch;

import static dev.fanin.testing.Eventually.eventually;
import static dev.fanin.testing.Fetches.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.policy.LoopMark;
import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninExtension;
import dev.fanin.testing.FaninHarness;
import dev.fanin.testing.Fetches;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one fetcher that talks to the network, against a real fake upstream on loopback: a hard bound
 * on the whole exchange, bodies counted as they arrive, and a reset whenever an attempt is abandoned.
 */
class HttpFetcherTest {
  static final int BUDGET = 1 << 20;
  @RegisterExtension
  final FaninExtension fixture = FaninExtension.withoutFanin();
  final LoopMark mark = new LoopMark();
  final UpstreamSlots slots = new UpstreamSlots();
  Context loop;
  HttpClient client;
  FakeUpstream upstream;

  @BeforeEach
  void setUp() {
    loop = fixture.vertx().getOrCreateContext();
    client = fixture.vertx().createHttpClient(new HttpClientOptions().setDecompressionSupported(false));
    upstream = fixture.upstream();
  }

  static FetchContext context(long maxBodyBytes, ByteBudget budget) {
    long now = System.nanoTime();
    return new FetchContext(now, now + TimeUnit.SECONDS.toNanos(30), budget, maxBodyBytes);
  }

  static FetchContext context() {
    return context(BUDGET, new ByteBudget(BUDGET));
  }

  FetchRequest request(String query, int timeoutMs, FetchContext context) {
    return new FetchRequest("src", HttpMethod.GET, URI.create(upstream.url(query)), MultiMap.caseInsensitiveMultiMap(),
        null, null, timeoutMs, 0, null, context);
  }

  Future<FetchResponse> fetch(FetchRequest request, int maxUpstream) {
    HttpFetcher http = new HttpFetcher(fixture.vertx(), client, 2_000, slots, () -> maxUpstream, mark);
    return Fetches.run(loop, () -> http.fetch(request));
  }

  Future<FetchResponse> fetch(FetchRequest request) {
    return fetch(request, 100);
  }

  /** The upstream saw the abandoned exchange's connection close, and nothing of it is in flight any more. */
  void resetSeen() {
    assertTrue(eventually(5_000, () -> upstream.connectionsClosed.get() >= 1 && upstream.inFlight.get() == 0),
        "connections closed " + upstream.connectionsClosed.get() + ", in flight " + upstream.inFlight.get());
  }

  @Test
  void anAnswerComesBackWholeCountedAgainstTheBudgetAsOneAttempt() {
    FetchContext context = context();
    FetchResponse answer = fetch(request("status=201&type=text/plain&body=hello", 5_000, context)).result();
    assertEquals(201, answer.status());
    assertEquals("hello", answer.body().toString());
    assertEquals("text/plain", answer.headers().get("Content-Type"));
    assertEquals(1, context.attempts());
    assertEquals(BUDGET - 5, context.budget().remaining(), "the body is held against the aggregation's budget");
    assertEquals(0, slots.inFlight());
  }

  @Test
  void everyRequestCarriesTheLoopMarkTheRequestIdAndTheEncodingsFaninDecodes() {
    fetch(request("", 5_000, context().requestId("req-1").via("1.1 other")));
    MultiMap sent = upstream.lastRequest().headers();
    assertEquals("req-1", sent.get("X-Request-Id"));
    assertEquals(mark.via("1.1 other"), sent.get("Via"));
    assertEquals("gzip, deflate", sent.get("Accept-Encoding"));

    MultiMap own = MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "the-sources-own");
    fetch(new FetchRequest("src", HttpMethod.GET, URI.create(upstream.url("")), own, null, null, 5_000, 0, null,
        context().requestId("req-2")));
    assertEquals("the-sources-own", upstream.lastRequest().headers().get("X-Request-Id"));
  }

  @Test
  void aPinnedRequestConnectsToItsCheckedAddressWhateverTheHostName() {
    URI url = URI.create("http://pinned.example:" + upstream.port() + "/x?body=pinned");
    FetchRequest request = new FetchRequest("src", HttpMethod.GET, url, MultiMap.caseInsensitiveMultiMap(), null, null,
        5_000, 0, null, context()).withServer(new InetSocketAddress("127.0.0.1", upstream.port()));
    assertEquals("pinned", fetch(request).result().body().toString());
    assertEquals("pinned.example:" + upstream.port(), upstream.lastRequest().headers().get("Host"));
  }

  @Test
  void theTimeoutBoundsTheWholeExchangeSoATricklingBodyIsCutAndReset() {
    // 30 chunks 100 ms apart: never 400 ms of silence, but 3 s in all
    FetchContext context = context();
    FetchException timeout = failure(fetch(request("trickle=100&chunks=30", 400, context)), ErrorKind.TIMEOUT);
    assertEquals("no complete response within 400 ms", timeout.getMessage());
    assertEquals(200, timeout.httpStatus(), "the head had arrived");
    assertEquals(BUDGET, context.budget().remaining(), "what had arrived is given back");
    resetSeen();
  }

  @Test
  void aSilentUpstreamTimesOutAndIsReset() {
    failure(fetch(request("hang=1", 300, context())), ErrorKind.TIMEOUT);
    resetSeen();
  }

  /** Fetches a body too large for the context: too_large, every byte given back, the exchange reset. */
  String cut(String query, FetchContext context) {
    long before = context.budget().remaining();
    FetchException tooLarge = failure(fetch(request(query, 5_000, context)), ErrorKind.TOO_LARGE);
    assertEquals(before, context.budget().remaining(), "bytes of the cut body are still held");
    resetSeen();
    return tooLarge.getMessage();
  }

  @ParameterizedTest
  @ValueSource(strings = {"size=50000&chunked=1", "size=50000"})
  void aBodyOverTheSourcesBoundIsCutWhetherItsLengthIsDeclaredOrNot(String query) {
    String why = cut(query, context(1_000, new ByteBudget(BUDGET)));
    assertTrue(why.contains("source.maxBodyBytes"), why);
  }

  @Test
  void aBodyTheAggregationsBudgetCannotHoldIsCut() {
    String why = cut("size=50000&chunked=1", context(BUDGET, new ByteBudget(2_000)));
    assertTrue(why.contains("aggregate.maxAggregateBytes"), why);
  }

  @Test
  void aCancelledAttemptEndsAtOnceAndResetsItsConnection() throws Exception {
    FetchContext context = context();
    HttpFetcher http = new HttpFetcher(fixture.vertx(), client, 2_000, slots, () -> 100, mark);
    var outcome = Fetches.start(loop, () -> http.fetch(request("hang=1", 30_000, context)));
    assertTrue(eventually(5_000, () -> upstream.requests.get() == 1), "the request never arrived");
    FetchException gone = new FetchException(ErrorKind.CANCELLED, "the client left");
    Fetches.on(loop, () -> context.cancel(gone));
    assertSame(gone, outcome.get(5, TimeUnit.SECONDS).cause());
    resetSeen();
    assertEquals(0, slots.inFlight());
  }

  @Test
  void aSourceCancelledBeforeItsAttemptSendsNothing() {
    FetchContext context = context();
    FetchException gone = new FetchException(ErrorKind.CANCELLED, "the client left");
    context.cancel(gone);
    assertSame(gone, fetch(request("", 5_000, context)).cause());
    assertEquals(0, upstream.requests.get());
    assertEquals(0, context.attempts());
  }

  @Test
  void beyondTheProcesssBoundARequestIsRejectedWithoutBeingSent() {
    FetchContext context = context();
    FetchException rejected = failure(fetch(request("", 5_000, context), 0), ErrorKind.REJECTED);
    assertTrue(rejected.getMessage().contains("client.maxConnections"), rejected.getMessage());
    assertEquals(0, upstream.requests.get());
    assertEquals(0, context.attempts());
  }

  @Test
  void aRefusedConnectionIsAConnectFailure() {
    URI dead = URI.create("http://127.0.0.1:" + FaninHarness.freePort() + "/x");
    failure(fetch(new FetchRequest("src", HttpMethod.GET, dead, MultiMap.caseInsensitiveMultiMap(), null, null,
        5_000, 0, null, context())), ErrorKind.CONNECT);
    assertEquals(0, slots.inFlight());
  }

  static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void anExchangeIsTimedAsConnectingWaitingForTheHeadAndReceivingTheBody() {
    FetchContext context = context();
    // the head after 100 ms, then 4 chunks 30 ms apart
    fetch(request("delay=100&trickle=30&chunks=4", 5_000, context)).result();
    Timings t = context.timings();
    assertEquals(1, t.attempts());
    assertTrue(t.sent(0));
    assertTrue(t.nanos(0, Timings.Phase.CONNECT) > 0, "a new connection was made");
    assertEquals(0, t.nanos(0, Timings.Phase.POOL));
    assertTrue(t.nanos(0, Timings.Phase.HEAD) >= 100 * MS, "head " + t.nanos(0, Timings.Phase.HEAD));
    assertTrue(t.nanos(0, Timings.Phase.BODY) >= 100 * MS, "body " + t.nanos(0, Timings.Phase.BODY));
    assertTrue(t.nanos(0, Timings.Phase.HEAD) < 2_000 * MS && t.nanos(0, Timings.Phase.BODY) < 2_000 * MS);
  }

  @Test
  void aRequestOnAReusedConnectionConnectsInNoTime() {
    HttpFetcher http = new HttpFetcher(fixture.vertx(), client, 2_000, slots, () -> 100, mark);
    FetchContext first = context();
    Fetches.run(loop, () -> http.fetch(request("", 5_000, first))).result();
    FetchContext second = context();
    Fetches.run(loop, () -> http.fetch(request("", 5_000, second))).result();
    assertTrue(first.timings().nanos(0, Timings.Phase.CONNECT) > 0);
    assertEquals(0, second.timings().nanos(0, Timings.Phase.CONNECT), "the kept-alive connection was reused");
    assertTrue(second.timings().sent(0));
    assertEquals(0, upstream.connectionsClosed.get(), "one connection served both");
  }

  @Test
  void aFailedConnectIsTimedAsConnecting() {
    URI dead = URI.create("http://127.0.0.1:" + FaninHarness.freePort() + "/x");
    FetchContext context = context();
    failure(fetch(new FetchRequest("src", HttpMethod.GET, dead, MultiMap.caseInsensitiveMultiMap(), null, null,
        5_000, 0, null, context)), ErrorKind.CONNECT);
    assertTrue(context.timings().sent(0));
    assertTrue(context.timings().nanos(0, Timings.Phase.CONNECT) > 0);
    assertEquals(0, context.timings().nanos(0, Timings.Phase.HEAD));
  }
}
