package dev.fanin.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Where the demo upstream's names lead. Sources name the demo as {@code {service}.demo.localhost};
 * fanin connects those names to its own demo listener, which serves nothing but the demo, so the
 * demo works on any port without any exception for fanin's own API port.
 */
public final class DemoHosts {
  private static final String DOMAIN = "demo.localhost";
  private final boolean enabled;
  private volatile InetSocketAddress listener;

  /** @param enabled demo.enabled: when false, demo names are refused */
  public DemoHosts(boolean enabled) {
    this.enabled = enabled;
  }

  /** Demo names go nowhere (demo.enabled is false). */
  public static DemoHosts off() {
    return new DemoHosts(false);
  }

  /** Records the port the demo listener was bound to (once it listens). */
  public void listening(int port) {
    listener = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** Whether a host is one of the demo's names. */
  public static boolean isDemoName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals(DOMAIN) || h.endsWith("." + DOMAIN);
  }

  /** Why a demo name cannot be fetched now, or null when it can. */
  String refusal(String scheme) {
    if (!enabled) {
      return "the demo upstream is switched off (demo.enabled)";
    }
    if (!scheme.equalsIgnoreCase("http")) {
      return "the demo upstream speaks http only";
    }
    if (listener == null) {
      return "the demo upstream is not listening yet";
    }
    return null;
  }

  /** The demo listener's address. */
  InetSocketAddress listener() {
    return listener;
  }
}
