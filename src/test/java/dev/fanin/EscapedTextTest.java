package dev.fanin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The plain log format never passes control characters through. */
class EscapedTextTest {
  @Test
  void controlCharactersAreWrittenAsEscapes() {
    assertEquals("upstream said \\u001b[31mOK\\u001b[0m", EscapedText.escape("upstream said \u001b[31mOK\u001b[0m", false));
    assertEquals("a\\u000d\\u000aINFO forged", EscapedText.escape("a\r\nINFO forged", false));
    assertEquals("x\\u0085y\\u2028z", EscapedText.escape("x\u0085y\u2028z", false));
    assertEquals("at a\n\tat b\\u001b", EscapedText.escape("at a\n\tat b\u001b", true));
    assertEquals("plain", EscapedText.escape("plain", false));
  }

  @Test
  void theShippedPatternEscapesMessagesAndValuesAndKeepsStackTraces() throws Exception {
    String xml = new String(EscapedTextTest.class.getResourceAsStream("/logback.xml").readAllBytes(), StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<pattern>(.*?)</pattern>").matcher(xml);
    assertTrue(m.find(), xml);
    LoggerContext context = new LoggerContext();
    context.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS,
        new java.util.HashMap<String, java.util.function.Supplier<ch.qos.logback.core.pattern.DynamicConverter>>(
            java.util.Map.of("escaped", EscapedText::new, "escapedTrace", EscapedText.Trace::new)));
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(m.group(1));
    encoder.start();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    ch.qos.logback.classic.Logger logger = context.getLogger("escape-test");
    logger.addAppender(appender);
    logger.atError().setMessage("status {}").addArgument("\u001b[2J").addKeyValue("line", "x\ny").log();
    String line = new String(encoder.encode(appender.list.get(0)), StandardCharsets.UTF_8);
    assertFalse(line.contains("\u001b") || line.contains("%"), line);
    assertTrue(line.contains("\\u001b[2J") && line.contains("\\u000a"), line);
    assertTrue(line.endsWith("\n") && line.strip().lines().count() == 1, line);
    logger.atError().setMessage("failed").setCause(new IllegalStateException("bad\u001b[0m")).log();
    String trace = new String(encoder.encode(appender.list.get(1)), StandardCharsets.UTF_8);
    assertTrue(trace.contains("\n\tat ") && trace.contains("bad\\u001b[0m") && !trace.contains("%"), trace);
  }
}
