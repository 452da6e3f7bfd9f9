package dev.fanin.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Policy decisions as a unit: addresses are only classified, never contacted. */
class UpstreamPolicyTest {
  static UpstreamPolicy policy(JsonObject upstream, DemoHosts demo) {
    return new UpstreamPolicy(ConfigLoader.fromJson(new JsonObject().put("upstream", upstream)).upstream(), demo);
  }

  static UpstreamPolicy policy(JsonObject upstream) {
    return policy(upstream, DemoHosts.off());
  }

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void privateAddressesAreRefusedByDefault() throws Exception {
    UpstreamPolicy p = policy(new JsonObject());
    URI url = URI.create("http://internal.example/x");
    for (String addr : new String[] {"127.0.0.1", "10.0.0.5", "192.168.0.1", "172.20.1.1", "169.254.169.254",
        "100.64.1.1", "::1", "fd00:ec2::254", "fe80::1", "0.0.0.0"}) {
      String why = p.checkAddress(url, ip(addr), false);
      assertNotNull(why, addr);
      assertTrue(why.contains("allowPrivateNetworks"), why);
    }
    assertNull(p.checkAddress(url, ip("93.184.216.34"), false));
  }

  @Test
  void allowPrivateNetworksTrustAndPrivateHostsLetThemThrough() throws Exception {
    URI url = URI.create("http://svc.internal:8081/x");
    assertNull(policy(new JsonObject().put("allowPrivateNetworks", true)).checkAddress(url, ip("10.0.0.5"), false));
    assertNull(policy(new JsonObject()).checkAddress(url, ip("10.0.0.5"), true));
    UpstreamPolicy listed = policy(new JsonObject().put("privateHosts", new JsonArray().add("*.internal")));
    assertNull(listed.checkAddress(url, ip("10.0.0.5"), false));
    assertNotNull(listed.checkAddress(URI.create("http://other.example/x"), ip("10.0.0.5"), false));
  }

  @Test
  void demoNamesLeadToTheDemoListenerAndNothingElseIsExcepted() throws Exception {
    DemoHosts demo = new DemoHosts(true);
    UpstreamPolicy p = policy(new JsonObject(), demo);
    URI quote = URI.create("http://quotes.demo.localhost/BTC");
    assertEquals("the demo upstream is not listening yet", p.checkUrl(quote));
    demo.listening(18090);
    assertNull(p.checkUrl(quote));
    assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 18090), p.fixedTarget(quote));
    assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 18090),
        p.fixedTarget(URI.create("http://FLAKY.Demo.Localhost:1234/")), "any port, any case: the demo listener");
    assertNotNull(p.checkUrl(URI.create("https://quotes.demo.localhost/BTC")), "the demo speaks http only");
    assertNull(p.fixedTarget(URI.create("http://demo.localhost.example.com/x")));
    assertNull(p.fixedTarget(URI.create("http://127.0.0.1:8080/demo/quotes/BTC")));
    // fanin's own port is loopback like any other: no path of it is excepted any more
    for (String path : new String[] {"/demo/quotes/BTC", "/demo/%2e%2e/v1/feeds", "/v1/feeds"}) {
      assertNotNull(p.checkAddress(URI.create("http://127.0.0.1:8080" + path), ip("127.0.0.1"), false), path);
    }
    assertEquals("the demo upstream is switched off (demo.enabled)",
        policy(new JsonObject()).checkUrl(quote));
  }

  @Test
  void hostAndPortListsWithWildcards() {
    UpstreamPolicy p = policy(new JsonObject()
        .put("allowHosts", new JsonArray().add("*.example.com").add("api.other.org"))
        .put("denyHosts", new JsonArray().add("admin.example.com"))
        .put("denyPorts", new JsonArray().add(25)));
    assertNull(p.checkUrl(URI.create("https://news.example.com/feed")));
    assertNull(p.checkUrl(URI.create("https://a.b.example.com/feed")));
    assertNull(p.checkUrl(URI.create("http://api.other.org/q")));
    assertNotNull(p.checkUrl(URI.create("https://example.com/feed")), "the wildcard does not cover the apex");
    assertNotNull(p.checkUrl(URI.create("https://evil-example.com/feed")));
    assertNotNull(p.checkUrl(URI.create("https://admin.example.com/")));
    assertNotNull(p.checkUrl(URI.create("http://news.example.com:25/")));
    UpstreamPolicy ports = policy(new JsonObject().put("allowPorts", new JsonArray().add(443)));
    assertNull(ports.checkUrl(URI.create("https://x.example/")));
    assertNotNull(ports.checkUrl(URI.create("http://x.example/")));
    UpstreamPolicy httpsOnly = policy(new JsonObject().put("schemes", new JsonArray().add("https")));
    assertNotNull(httpsOnly.checkUrl(URI.create("http://x.example/")));
  }

  @Test
  void deniedAddressesAreRefusedWhateverTheName() throws Exception {
    UpstreamPolicy p = policy(new JsonObject().put("allowPrivateNetworks", true)
        .put("denyHosts", new JsonArray().add("10.0.0.5")));
    assertNotNull(p.checkAddress(URI.create("http://innocent.example/"), ip("10.0.0.5"), true));
  }
}
