package dev.fanin.definition;

import dev.fanin.config.FaninConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads a definition's {@code rate}: in range, and never looser than the operator's rule for an origin. */
final class RateFields {
  static final double MAX_PER_SECOND = 100_000;
  static final int MAX_BURST = 100_000;

  private RateFields() {}

  /** The rate, or null when the definition sets none (or it is invalid: then errors say why). */
  static RateSpec rate(Object value, List<SourceSpec> sources, List<FaninConfig.OriginRule> rules,
      List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError("/rate", "must be an object such as {\"perSecond\": 10, \"burst\": 10}"));
      return null;
    }
    int before = errors.size();
    for (String name : json.fieldNames()) {
      if (!Set.of("perSecond", "burst").contains(name)) {
        errors.add(new FieldError("/rate/" + DefinitionParser.pointerEscape(name), "is not a known field"));
      }
    }
    Object rawRate = json.getValue("perSecond");
    double perSecond = 0;
    if (rawRate == null) {
      errors.add(new FieldError("/rate/perSecond", "is required: requests a second to each origin"));
    } else if (!(rawRate instanceof Number n) || !(n.doubleValue() > 0) || n.doubleValue() > MAX_PER_SECOND) {
      errors.add(new FieldError("/rate/perSecond", "must be a number above 0 and at most " + (long) MAX_PER_SECOND));
    } else {
      perSecond = n.doubleValue();
    }
    Object rawBurst = json.getValue("burst");
    int burst = (int) Math.max(1, Math.ceil(perSecond));
    if (rawBurst != null) {
      if (!(rawBurst instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
          || n.doubleValue() < 1 || n.doubleValue() > MAX_BURST) {
        errors.add(new FieldError("/rate/burst", "must be an integer from 1 to " + MAX_BURST));
      } else {
        burst = n.intValue();
      }
    }
    if (errors.size() > before) {
      return null;
    }
    for (SourceSpec source : sources) {
      URI url = source.url();
      String host = url.getHost().toLowerCase(Locale.ROOT);
      int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
      FaninConfig.OriginRule rule = FaninConfig.OriginRule.first(rules, host, port);
      if (rule == null || rule.ratePerSecond() <= 0) {
        continue;
      }
      if (perSecond > rule.ratePerSecond()) {
        errors.add(new FieldError("/rate/perSecond", "is " + perSecond + ", looser than the operator's rule \""
            + rule.match() + "\" (" + rule.ratePerSecond() + " a second) for " + host + "; a rate can only tighten it"));
        return null;
      }
      if (burst > rule.burst() && rawBurst == null) {
        burst = rule.burst(); // an unset burst defaults to what the rule allows at most
      } else if (burst > rule.burst()) {
        errors.add(new FieldError("/rate/burst", "is " + burst + ", looser than the operator's rule \""
            + rule.match() + "\" (burst " + rule.burst() + ") for " + host + "; a rate can only tighten it"));
        return null;
      }
    }
    return new RateSpec(perSecond, burst);
  }
}
