/** The read side: routes, keyset cursors, and the JSON views of books, reviews and command outcomes. */
package dev.bookstore.query;
