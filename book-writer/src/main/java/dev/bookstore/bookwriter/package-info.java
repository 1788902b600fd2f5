/** Writing books: how a CreateBook command becomes a row. */
package dev.bookstore.bookwriter;
