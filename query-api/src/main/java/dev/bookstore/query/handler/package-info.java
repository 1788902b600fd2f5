/** The Lambda entry point of query-api. */
package dev.bookstore.query.handler;
