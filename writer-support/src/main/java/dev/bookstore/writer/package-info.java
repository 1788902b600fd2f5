/**
 * Applying SQS batches of commands exactly once: each message is classified, the batch is written in
 * one transaction with its outcomes (falling back to one transaction per message when one command
 * breaks a rule), and only messages whose effect or rejection is committed are acknowledged.
 */
package dev.bookstore.writer;
