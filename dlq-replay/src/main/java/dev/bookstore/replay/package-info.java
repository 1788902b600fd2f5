/**
 * Dead-letter queues for operators: list their depths, peek at what is in them with the decoded command
 * and its recorded outcome, replay a selection to the source queue (rate-limited, dry-run, audited, never
 * deleting before the copy is sent), and discard what can never succeed after saving it to the audit log.
 */
package dev.bookstore.replay;
