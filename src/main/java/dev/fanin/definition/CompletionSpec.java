package dev.fanin.definition;

/**
 * When an aggregation has its answer ({@code "complete"}): once every source has ended ({@code all},
 * the default), or as soon as {@code count} of its required sources are ok ({@code any}; {@code first}
 * is any with a count of 1). Optional sources never count towards {@code count}.
 */
public record CompletionSpec(When when, int count) {
  public static final CompletionSpec ALL = new CompletionSpec(When.ALL, 0);

  /** The policies a definition may name, by their wire names. */
  public enum When {
    ALL("all"), ANY("any"), FIRST("first");

    private final String wireName;

    When(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** Whether the aggregation may end before every source has (any or first). */
  public boolean early() {
    return when != When.ALL;
  }

  /** "any 2", "first", "all": how messages name the policy. */
  public String describe() {
    return when == When.ANY ? "any " + count : when.wireName();
  }
}
