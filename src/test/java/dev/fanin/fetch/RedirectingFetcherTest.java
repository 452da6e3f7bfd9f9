package dev.fanin.fetch;

import static dev.fanin.testing.ScriptedFetcher.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.Fetches;
import dev.fanin.testing.ScriptedFetcher;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redirects followed hop by hop down the pipeline: how many, with which method, body and credentials. */
class RedirectingFetcherTest {
  static final String START = "http://a.example/dir/start";

  static FetchRequest request(HttpMethod method, String... headerPairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    Buffer body = method == HttpMethod.GET ? null : Buffer.buffer("{\"q\":1}");
    return Fetches.request(method, START, headers, body, Fetches.context(5000))
        .withServer(new InetSocketAddress("127.0.0.1", 80));
  }

  static Future<FetchResponse> fetch(ScriptedFetcher upstream, int maxRedirects, FetchRequest request) {
    return new RedirectingFetcher(upstream, () -> maxRedirects, () -> List.of("X-Partner-Token")).fetch(request);
  }

  static String refusal(Future<FetchResponse> f) {
    return Fetches.failure(f, ErrorKind.REJECTED).getMessage();
  }

  @Test
  void aRedirectIsFollowedToItsResolvedLocationAndEachHopIsCheckedAgain() {
    ScriptedFetcher upstream = new ScriptedFetcher(status(302, "Location", "next?x=1"), status(200));
    FetchResponse answer = fetch(upstream, 5, request(HttpMethod.GET)).await();
    assertEquals(200, answer.status());
    assertEquals(URI.create("http://a.example/dir/next?x=1"), upstream.request(1).url());
    assertNull(upstream.request(1).server(), "the next hop is resolved and checked again, not pinned to the first");
    assertEquals(List.of(), answer.notes());
  }

  @Test
  void afterTheLastAllowedHopTheRedirectIsTheAnswerWithANote() {
    ScriptedFetcher upstream = new ScriptedFetcher(status(301, "Location", "/again"));
    FetchResponse answer = fetch(upstream, 2, request(HttpMethod.GET)).await();
    assertEquals(301, answer.status());
    assertEquals(3, upstream.calls());
    assertEquals(List.of("stopped after 2 redirects"), answer.notes());
  }

  @Test
  void noRedirectsAllowedMeansNoneIsFollowed() {
    ScriptedFetcher upstream = new ScriptedFetcher(status(302, "Location", "/next"), status(200));
    FetchResponse answer = fetch(upstream, 0, request(HttpMethod.GET)).await();
    assertEquals(302, answer.status());
    assertEquals(1, upstream.calls());
    assertEquals(List.of(), answer.notes());
  }

  @Test
  void answersThatAreNotRedirectsComeBackAsTheyAre() {
    for (var step : List.of(status(200, "Location", "/elsewhere"), status(304, "Location", "/elsewhere"),
        status(302))) {
      ScriptedFetcher upstream = new ScriptedFetcher(step, status(599));
      fetch(upstream, 5, request(HttpMethod.GET)).await();
      assertEquals(1, upstream.calls());
    }
  }

  @Test
  void a303OrA301Or302AfterAPostBecomesAGetWithoutABody() {
    for (int code : new int[] {303, 301, 302}) {
      ScriptedFetcher upstream = new ScriptedFetcher(status(code, "Location", "/next"), status(200));
      fetch(upstream, 5, request(HttpMethod.POST, "Content-Type", "application/json")).await();
      FetchRequest next = upstream.request(1);
      assertEquals(HttpMethod.GET, next.method(), "after " + code);
      assertNull(next.body(), "after " + code);
      assertNull(next.contentType(), "after " + code);
      assertNull(next.headers().get("Content-Type"), "after " + code);
    }
  }

  @Test
  void a307Or308KeepsTheMethodAndTheBody() {
    for (int code : new int[] {307, 308}) {
      ScriptedFetcher upstream = new ScriptedFetcher(status(code, "Location", "/next"), status(200));
      fetch(upstream, 5, request(HttpMethod.POST)).await();
      FetchRequest next = upstream.request(1);
      assertEquals(HttpMethod.POST, next.method(), "after " + code);
      assertEquals("{\"q\":1}", next.body().toString(), "after " + code);
    }
    ScriptedFetcher put = new ScriptedFetcher(status(302, "Location", "/next"), status(200));
    fetch(put, 5, request(HttpMethod.PUT)).await();
    assertEquals(HttpMethod.PUT, put.request(1).method(), "only a POST becomes a GET on 301 and 302");
  }

  @Test
  void credentialsStayWithinTheOriginAndNeverCrossToAnother() {
    String[] headers = {"Authorization", "Bearer a", "Cookie", "s=1", "Proxy-Authorization", "Basic b",
        "X-Partner-Token", "t", "X-Trace", "keep"};
    ScriptedFetcher within = new ScriptedFetcher(status(302, "Location", "/same"), status(200));
    fetch(within, 5, request(HttpMethod.GET, headers)).await();
    assertEquals("Bearer a", within.request(1).headers().get("Authorization"));
    assertEquals("t", within.request(1).headers().get("X-Partner-Token"));

    ScriptedFetcher across = new ScriptedFetcher(status(302, "Location", "http://b.example/other"), status(200));
    fetch(across, 5, request(HttpMethod.GET, headers)).await();
    MultiMap sent = across.request(1).headers();
    for (String credential : new String[] {"Authorization", "Cookie", "Proxy-Authorization", "X-Partner-Token"}) {
      assertNull(sent.get(credential), credential + " crossed to another origin");
    }
    assertEquals("keep", sent.get("X-Trace"));
    assertEquals("Bearer a", across.request(0).headers().get("Authorization"), "the first hop's headers are untouched");
  }

  @Test
  void aLocationThatIsNotAnHttpUrlIsRejected() {
    assertTrue(refusal(fetch(new ScriptedFetcher(status(302, "Location", "ftp://a.example/file")), 5,
        request(HttpMethod.GET))).contains("not an http or https URL"));
    assertTrue(refusal(fetch(new ScriptedFetcher(status(302, "Location", "http://[bad")), 5,
        request(HttpMethod.GET))).contains("invalid Location"));
  }
}
