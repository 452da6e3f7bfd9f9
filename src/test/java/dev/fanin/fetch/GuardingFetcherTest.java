package dev.fanin.fetch;

import static dev.fanin.testing.ScriptedFetcher.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.ConfigLoader;
import dev.fanin.policy.DemoHosts;
import dev.fanin.policy.UpstreamPolicy;
import dev.fanin.testing.Fetches;
import dev.fanin.testing.ScriptedFetcher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SSRF guard as a decorator: what it refuses sends nothing; what it lets through is pinned. */
@ExtendWith(VertxExtension.class)
class GuardingFetcherTest {
  Context loop;
  HostResolver resolver;
  final ScriptedFetcher upstream = new ScriptedFetcher(status(200));

  @BeforeEach
  void setUp(Vertx vertx) {
    loop = vertx.getOrCreateContext();
    resolver = new HostResolver(vertx);
  }

  static UpstreamPolicy policy(JsonObject upstream, DemoHosts demo) {
    return new UpstreamPolicy(ConfigLoader.fromJson(new JsonObject().put("upstream", upstream)).upstream(), demo);
  }

  static UpstreamPolicy privateNetworks(boolean allowed) {
    return policy(new JsonObject().put("allowPrivateNetworks", allowed), DemoHosts.off());
  }

  Future<FetchResponse> fetch(UpstreamPolicy policy, FetchRequest request) {
    GuardingFetcher guard = new GuardingFetcher(upstream, resolver, policy);
    return Fetches.run(loop, () -> guard.fetch(request));
  }

  Future<FetchResponse> fetch(UpstreamPolicy policy, String url) {
    return fetch(policy, Fetches.get(url, Fetches.context(5000)));
  }

  static String refusal(Future<FetchResponse> f) {
    return Fetches.failure(f, ErrorKind.REJECTED).getMessage();
  }

  @Test
  void aUrlThePolicyRefusesIsRejectedAndNothingIsSent() {
    UpstreamPolicy denied = policy(new JsonObject().put("allowPrivateNetworks", true)
        .put("denyPorts", new JsonArray().add(8089)), DemoHosts.off());
    assertTrue(refusal(fetch(denied, "http://127.0.0.1:8089/x")).contains("upstream.denyPorts"));
    assertEquals(0, upstream.calls());
  }

  @Test
  void aPrivateAddressIsRejectedWhetherWrittenAsAnAddressOrAName() {
    for (String url : new String[] {"http://127.0.0.1:8089/x", "http://localhost:8089/x", "http://[::1]:8089/x"}) {
      assertTrue(refusal(fetch(privateNetworks(false), url)).contains("allowPrivateNetworks"), url);
    }
    assertEquals(0, upstream.calls());
  }

  @Test
  void theRequestGoesOutPinnedToTheAddressThatWasChecked() throws Exception {
    assertTrue(fetch(privateNetworks(true), "http://localhost:8089/x").succeeded());
    InetSocketAddress pinned = upstream.last().server();
    assertEquals(InetAddress.getByName("localhost"), pinned.getAddress());
    assertEquals(8089, pinned.getPort());

    assertTrue(fetch(privateNetworks(true), "http://127.0.0.1/x").succeeded());
    assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80), upstream.last().server());
  }

  @Test
  void aTrustedSourceMayReachAPrivateAddress() {
    FetchRequest operatorFeed = Fetches.get("http://127.0.0.1:8089/x", Fetches.context(5000).trusted(true));
    assertTrue(fetch(privateNetworks(false), operatorFeed).succeeded());
    assertEquals(1, upstream.calls());
  }

  @Test
  void demoNamesGoToTheDemoListenerWithoutALookupAndNowhereWhenTheDemoIsOff() {
    DemoHosts demo = new DemoHosts(true);
    demo.listening(4321);
    assertTrue(fetch(policy(new JsonObject(), demo), "http://quotes.demo.localhost/x").succeeded());
    assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 4321), upstream.last().server());
    assertTrue(refusal(fetch(policy(new JsonObject(), DemoHosts.off()), "http://quotes.demo.localhost/x"))
        .contains("demo.enabled"));
    assertEquals(1, upstream.calls());
  }
}
