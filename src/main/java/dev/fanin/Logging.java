package dev.fanin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.fanin.config.FaninConfig;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/** Applies log.level and log.format to Logback. */
final class Logging {
  private Logging() {}

  static void apply(FaninConfig.Log config) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(config.level(), Level.INFO));
    root.detachAppender(config.format().equals("json") ? "PLAIN" : "JSON");
  }

  /**
   * A batch run's logging (logback-batch.xml: standard error only): warnings and errors, unless
   * log.level asks for more detail than INFO (DEBUG, TRACE) or less (ERROR, OFF).
   */
  static void applyBatch(FaninConfig.Log config) {
    apply(config);
    if (config.level().equals("INFO")) {
      level("WARN");
    }
  }

  /** Applies a new log.level (live configuration). */
  static void level(String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
    }
  }

  /**
   * Drops log events below WARN logged where {@code quiet} says so (the start-up warm-up's
   * threads), until the returned action runs.
   */
  static Runnable quietWhere(BooleanSupplier quiet) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return () -> { };
    }
    TurboFilter filter = new TurboFilter() {
      @Override
      public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
          Object[] params, Throwable t) {
        return level != null && !level.isGreaterOrEqual(Level.WARN)
            && quiet.getAsBoolean() ? FilterReply.DENY : FilterReply.NEUTRAL;
      }
    };
    filter.start();
    context.addTurboFilter(filter);
    return () -> context.getTurboFilterList().remove(filter);
  }
}
