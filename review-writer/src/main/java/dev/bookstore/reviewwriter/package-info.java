/** Writing reviews: a CreateReview becomes a row once its book exists; UpdateReview and DeleteReview change it, in order. */
package dev.bookstore.reviewwriter;
