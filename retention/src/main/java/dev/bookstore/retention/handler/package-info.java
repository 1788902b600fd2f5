/** The Lambda entry point of retention, invoked by its EventBridge schedule. */
package dev.bookstore.retention.handler;
