package dev.fanin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logback's configuration for a batch run ({@code fanin run}), in code: what logback.xml says, except
 * that both formats write to standard error, which the run's output never shares. Written in code
 * because parsing logback.xml costs a batch run about a tenth of a second of its start. The service
 * (without the {@link #PROPERTY}) is left to logback.xml.
 */
public final class BatchLogConfigurator extends ContextAwareBase implements Configurator {
  /** Set by {@link BatchMain} before anything logs. */
  static final String PROPERTY = "fanin.run";
  /** logback.xml's pattern for the plain format. */
  static final String PATTERN =
      "%d{HH:mm:ss.SSS} %-5level %logger{24} - %escaped(%msg %kvp{SINGLE}){}%n%escapedTrace(%ex){}%nopex";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(PROPERTY) == null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    Map<String, Supplier<DynamicConverter>> rules = new HashMap<>();
    rules.put("escaped", EscapedText::new);
    rules.put("escapedTrace", EscapedText.Trace::new);
    context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
    PatternLayoutEncoder plain = new PatternLayoutEncoder();
    plain.setContext(context);
    plain.setPattern(PATTERN);
    plain.start();
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.setWithMDC(false);
    json.setWithFormattedMessage(true);
    json.setWithMessage(false);
    json.setWithArguments(false);
    json.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stderr(context, "PLAIN", plain));
    root.addAppender(stderr(context, "JSON", json));
    // as logback.xml
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("com.hazelcast").setLevel(Level.WARN);
    context.getLogger("com.hazelcast.cp.CPSubsystem").setLevel(Level.ERROR);
    context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
    context.getLogger("io.vertx.config.impl.ConfigRetrieverImpl").setLevel(Level.OFF);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, String name,
      Encoder<ILoggingEvent> encoder) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(name);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }
}
