package dev.fanin.feeds;

import java.util.regex.Pattern;

/**
 * A declared feed parameter.
 *
 * @param pattern values must match it whole; null accepts any value
 * @param defaultValue used when the caller gives none; null makes the parameter required
 */
public record ParamSpec(String name, Pattern pattern, String defaultValue) {
  public boolean required() {
    return defaultValue == null;
  }
}
