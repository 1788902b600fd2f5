/** Writing books: a CreateBook becomes a row; UpdateBook and DeleteBook change it, in order, once it exists. */
package dev.bookstore.bookwriter;
