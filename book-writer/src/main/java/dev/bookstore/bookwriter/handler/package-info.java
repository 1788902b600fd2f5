/** The Lambda entry point of book-writer. */
package dev.bookstore.bookwriter.handler;
