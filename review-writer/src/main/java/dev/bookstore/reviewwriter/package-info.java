/** Writing reviews: how a CreateReview command becomes a row, once its book exists. */
package dev.bookstore.reviewwriter;
