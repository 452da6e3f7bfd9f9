package dev.fanin.feeds;

/** How often a feed is polled in the background. */
public record Schedule(long everyMs) {}
