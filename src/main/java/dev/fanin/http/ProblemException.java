package dev.fanin.http;

/** Fails a request with a given problem; mapped to its answer in one place, {@link Problems}. */
public final class ProblemException extends RuntimeException {
  private final Problem problem;

  public ProblemException(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
