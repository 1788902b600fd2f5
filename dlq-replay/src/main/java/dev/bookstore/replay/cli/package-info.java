/** {@code bookstore-dlq}: the command line over the replay operations. */
package dev.bookstore.replay.cli;
