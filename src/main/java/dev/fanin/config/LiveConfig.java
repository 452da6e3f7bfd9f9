package dev.fanin.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The running configuration, replaceable while fanin runs. Components that honour live changes
 * read it on each use or register a listener; the parts that shape sockets and threads (the
 * listen address, pools, folders) keep their start-up values and are reported as needing a restart.
 */
public final class LiveConfig implements Supplier<FaninConfig> {
  private volatile FaninConfig current;
  private final List<Consumer<FaninConfig>> listeners = new CopyOnWriteArrayList<>();

  public LiveConfig(FaninConfig initial) {
    this.current = initial;
  }

  @Override
  public FaninConfig get() {
    return current;
  }

  public void onChange(Consumer<FaninConfig> listener) {
    listeners.add(listener);
  }

  /**
   * Applies a validated configuration. Returns the sections that changed but only take effect
   * after a restart.
   */
  public List<String> update(FaninConfig next) {
    FaninConfig before = current;
    List<String> restartOnly = new ArrayList<>();
    if (!Objects.equals(before.http(), next.http())) {
      restartOnly.add("http");
    }
    if (!Objects.equals(before.client(), next.client())) {
      restartOnly.add("client");
    }
    if (!Objects.equals(before.feeds(), next.feeds())) {
      restartOnly.add("feeds");
    }
    if (!Objects.equals(before.cluster(), next.cluster())) {
      restartOnly.add("cluster");
    }
    if (!Objects.equals(before.demo(), next.demo())) {
      restartOnly.add("demo");
    }
    if (!Objects.equals(before.metrics(), next.metrics())) {
      restartOnly.add("metrics");
    }
    if (before.cache().maxBytes() != next.cache().maxBytes()) {
      restartOnly.add("cache.maxBytes");
    }
    if (before.cache().clientSharePercent() != next.cache().clientSharePercent()) {
      restartOnly.add("cache.clientSharePercent");
    }
    if (!before.log().format().equals(next.log().format())) {
      restartOnly.add("log.format");
    }
    current = next;
    listeners.forEach(l -> l.accept(next));
    return restartOnly;
  }
}
