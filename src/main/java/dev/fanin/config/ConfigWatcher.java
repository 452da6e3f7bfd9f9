package dev.fanin.config;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the config file and applies valid changes to the {@link LiveConfig}. An invalid change is
 * refused with a log line naming the key, and the running configuration stays.
 */
public final class ConfigWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
  private final Vertx vertx;
  private final Path file;
  private final Map<String, String> env;
  private final LiveConfig live;
  private long lastModified;
  private long lastSize;
  private long timer = -1;
  private boolean checking;

  public ConfigWatcher(Vertx vertx, Path file, Map<String, String> env, LiveConfig live) {
    this.vertx = vertx;
    this.file = file;
    this.env = env;
    this.live = live;
  }

  /** Starts checking the file every {@code periodMs}. */
  public ConfigWatcher start(long periodMs) {
    vertx.fileSystem().props(file.toString()).onSuccess(p -> {
      lastModified = p.lastModifiedTime();
      lastSize = p.size();
    });
    timer = vertx.setPeriodic(periodMs, t -> check());
    return this;
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void check() {
    if (checking) {
      return;
    }
    checking = true;
    vertx.fileSystem().props(file.toString()).compose(p -> {
      if (p.lastModifiedTime() == lastModified && p.size() == lastSize) {
        return io.vertx.core.Future.succeededFuture();
      }
      lastModified = p.lastModifiedTime();
      lastSize = p.size();
      return vertx.executeBlocking(() -> ConfigLoader.load(file, env), false).onComplete(ar -> {
        if (ar.failed()) {
          String why = ar.cause() instanceof ConfigException ce ? ce.getMessage() : String.valueOf(ar.cause());
          LOG.warn("config change in {} refused: {}; the running configuration stays", file, why);
          return;
        }
        List<String> restartOnly = live.update(ar.result());
        LOG.info("config reloaded from {}", file);
        if (!restartOnly.isEmpty()) {
          LOG.warn("config changes to {} take effect only after a restart", restartOnly);
        }
      }).mapEmpty();
    }).onComplete(ar -> checking = false);
  }
}
