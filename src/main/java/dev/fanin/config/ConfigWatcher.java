package dev.fanin.config;

import io.vertx.config.ConfigChange;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the config file and applies valid changes to the {@link LiveConfig}. An invalid change is
 * refused with a log line naming the key, and the running configuration stays.
 *
 * <p>The file is read and compared by vertx-config's {@link ConfigRetriever} (a file store in JSON,
 * scanned every period): it reports a change when the file's content differs, so an edit that keeps
 * the size and the modification time is seen too. Only the file goes through the retriever. The
 * first read stays with {@link ConfigLoader#load} on the main thread, because Vert.x's options depend
 * on the configuration; every change goes through {@link ConfigLoader#merge}, the merge and validation
 * that read uses. The FANIN_* variables stay with fanin's own mapping, not vertx-config's env store,
 * which knows neither the names (http.cors.allowOrigins is FANIN_HTTP_CORS_ALLOW_ORIGINS), nor lists,
 * nor the refusal of unknown variables, nor the --cluster that Main adds as a variable.
 */
public final class ConfigWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
  private final Vertx vertx;
  private final Path file;
  private final Map<String, String> env;
  private final LiveConfig live;
  private final Promise<Void> watching = Promise.promise();
  private volatile ConfigRetriever retriever;
  // the fields below are touched on the retriever's context only
  private boolean baselined;
  private Object refused;

  public ConfigWatcher(Vertx vertx, Path file, Map<String, String> env, LiveConfig live) {
    this.vertx = vertx;
    this.file = file;
    this.env = env;
    this.live = live;
  }

  /** Starts checking the file every {@code periodMs}. */
  public ConfigWatcher start(long periodMs) {
    // an absolute path, so that Vert.x never looks for a missing file on the class path
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("json")
        .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString()));
    ConfigRetriever r = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setScanPeriod(periodMs).addStore(store));
    retriever = r;
    // runs after every read that succeeded: a file that was unreadable is worth reporting again
    r.setConfigurationProcessor(content -> {
      refused = null;
      return content;
    });
    r.configStream().exceptionHandler(this::unreadable);
    r.listen(this::changed);
    // the file as it is now is what fanin runs with: only what differs from it is a change
    r.getConfig().onComplete(ar -> {
      baselined = true;
      watching.complete();
    });
    return this;
  }

  /** Completes once the file as it was at {@link #start} is known: any edit after that is a change. */
  Future<Void> watching() {
    return watching.future();
  }

  public void stop() {
    ConfigRetriever r = retriever;
    if (r != null) {
      r.close();
    }
  }

  private void changed(ConfigChange change) {
    if (!baselined) {
      return;
    }
    JsonObject content = change.getNewConfiguration().copy();
    // ordered, so that two quick edits apply in the order they were made; a worker because merging
    // reads the defaults from the class path
    vertx.executeBlocking(() -> ConfigLoader.merge(content, env), true).onComplete(ar -> {
      if (ar.failed()) {
        refuse(ar.cause() instanceof ConfigException ce ? ce.getMessage() : String.valueOf(ar.cause()));
        return;
      }
      List<String> restartOnly = live.update(ar.result());
      LOG.info("config reloaded from {}", file);
      if (!restartOnly.isEmpty()) {
        LOG.warn("config changes to {} take effect only after a restart", restartOnly);
      }
    });
  }

  /**
   * A scan that could not read the file as a JSON object. The retriever fails every period until the
   * file is fixed and says why in Jackson's or the file system's words, so the file is read again
   * through fanin's own parser, and each unreadable content is reported once, as the start would.
   * A missing file is not reported: an editor may be replacing it.
   */
  private void unreadable(Throwable scanFailure) {
    vertx.fileSystem().readFile(file.toAbsolutePath().toString()).onComplete(ar -> {
      if (ar.failed()) {
        IOException io = ioCause(ar.cause());
        if (io instanceof NoSuchFileException) {
          refused = null;
        } else {
          String why = io != null ? ConfigLoader.unreadable(file, io).getMessage() : String.valueOf(ar.cause());
          refuseOnce(why, why);
        }
        return;
      }
      Buffer content = ar.result();
      try {
        ConfigLoader.parseFile(file, content);
        // the file changed since the scan: the next scan reads it
      } catch (ConfigException e) {
        refuseOnce(content, e.getMessage());
      }
    });
  }

  private static IOException ioCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
    }
    return null;
  }

  private void refuseOnce(Object what, String why) {
    if (!what.equals(refused)) {
      refused = what;
      refuse(why);
    }
  }

  private void refuse(String why) {
    LOG.warn("config change in {} refused: {}; the running configuration stays", file, why);
  }
}
