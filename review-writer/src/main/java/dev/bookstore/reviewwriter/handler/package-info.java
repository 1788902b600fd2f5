/** The Lambda entry point of review-writer. */
package dev.bookstore.reviewwriter.handler;
