/** The DlqReplay Lambda: the same replay, invoked by operators with a selection, audited to its log. */
package dev.bookstore.replay.handler;
