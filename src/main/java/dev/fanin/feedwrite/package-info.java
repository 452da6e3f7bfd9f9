/**
 * A merged timeline written as a feed for feed readers: Atom 1.0, JSON Feed 1.1 and RSS 2.0, well formed
 * whatever the upstream sent (characters XML cannot hold are dropped; text is escaped by the writer).
 */
package dev.fanin.feedwrite;
