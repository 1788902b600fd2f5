/** The Lambda entry point of api-ingest. */
package dev.bookstore.ingest.handler;
