package dev.fanin.policy;

import dev.fanin.config.FaninConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Decides whether fanin may send a request: first on the URL (scheme, host and port lists), then
 * on the address the host resolved to, which is the address fanin then connects to.
 */
public final class UpstreamPolicy {
  private final Supplier<FaninConfig.Upstream> live;
  private final DemoHosts demo;

  /** @param demo where the demo upstream's names lead */
  public UpstreamPolicy(FaninConfig.Upstream config, DemoHosts demo) {
    this(() -> config, demo);
  }

  /** Reads the policy from the running configuration at each check. */
  public UpstreamPolicy(Supplier<FaninConfig.Upstream> live, DemoHosts demo) {
    this.live = live;
    this.demo = demo;
  }

  public int maxRedirects() {
    return live.get().maxRedirects();
  }

  /** Why the URL may not be fetched, or null when its scheme, host and port are allowed. */
  public String checkUrl(URI url) {
    FaninConfig.Upstream config = live.get();
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    if (!config.schemes().contains(scheme)) {
      return "scheme " + scheme + " is not allowed (upstream.schemes)";
    }
    int port = port(url);
    if (port < 1 || port > 65_535) {
      return "port " + port + " is not a TCP port";
    }
    if (!config.allowPorts().isEmpty() && !config.allowPorts().contains(port)) {
      return "port " + port + " is not allowed (upstream.allowPorts)";
    }
    if (config.denyPorts().contains(port)) {
      return "port " + port + " is denied (upstream.denyPorts)";
    }
    String host = host(url);
    if (DemoHosts.isDemoName(host)) {
      String refused = demo.refusal(scheme);
      if (refused != null) {
        return refused;
      }
    }
    if (matchesAny(host, config.denyHosts())) {
      return "host " + host + " is denied (upstream.denyHosts)";
    }
    if (!config.allowHosts().isEmpty() && !matchesAny(host, config.allowHosts())) {
      return "host " + host + " is not allowed (upstream.allowHosts)";
    }
    return null;
  }

  /**
   * The address a URL that passed {@link #checkUrl} leads to without a name lookup: fanin's own
   * demo listener for the demo's names, otherwise null (resolve the host, then check the address).
   */
  public InetSocketAddress fixedTarget(URI url) {
    return DemoHosts.isDemoName(host(url)) ? demo.listener() : null;
  }

  /**
   * Why the resolved address may not be connected to, or null when it may.
   *
   * @param trusted the request comes from operator configuration (a read-only feed)
   */
  public String checkAddress(URI url, InetAddress address, boolean trusted) {
    FaninConfig.Upstream config = live.get();
    String ip = address.getHostAddress();
    if (matchesAny(ip.toLowerCase(Locale.ROOT), config.denyHosts())) {
      return "address " + ip + " is denied (upstream.denyHosts)";
    }
    AddressClass kind = AddressClassifier.classify(address);
    if (kind.isPublic() || config.allowPrivateNetworks() || trusted
        || matchesAny(host(url), config.privateHosts())) {
      return null;
    }
    return host(url) + " is " + ip + ", " + kind.description()
        + "; private networks are not allowed (upstream.allowPrivateNetworks, upstream.privateHosts)";
  }

  /** The address a host names literally (IPv4 in any inet_aton notation, or IPv6), or null. */
  public static InetAddress literal(String host) {
    InetAddress v4 = AddressClassifier.parseIpv4Literal(host);
    return v4 != null ? v4 : AddressClassifier.parseIpv6Literal(host);
  }

  static String host(URI url) {
    return url.getHost().toLowerCase(Locale.ROOT);
  }

  static int port(URI url) {
    if (url.getPort() >= 0) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }

  static boolean matchesAny(String host, List<String> patterns) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    for (String pattern : patterns) {
      String p = pattern.startsWith("[") && pattern.endsWith("]") ? pattern.substring(1, pattern.length() - 1) : pattern;
      if (p.startsWith("*.")) {
        if (bare.endsWith(p.substring(1)) && bare.length() > p.length() - 1) {
          return true;
        }
      } else if (bare.equals(p)) {
        return true;
      }
    }
    return false;
  }
}
