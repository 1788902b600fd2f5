/** A Java client of the bookstore API (openapi.yaml): {@link dev.bookstore.client.BookstoreClient} and the values it sends and returns. */
package dev.bookstore.client;
