package dev.fanin.batch;

/** --progress: a live bar when standard error is a terminal and a plain line otherwise (auto), or as said. */
public enum ProgressMode {
  AUTO, BAR, PLAIN, NONE
}
