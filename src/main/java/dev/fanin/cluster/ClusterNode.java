package dev.fanin.cluster;

import io.vertx.core.Vertx;

/** A clustered Vert.x and what this node sees of its cluster. */
public record ClusterNode(Vertx vertx, ClusterView view) {}
