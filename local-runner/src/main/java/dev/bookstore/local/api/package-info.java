/** The API on a real HTTP server: each request becomes the REST proxy event API Gateway would send. */
package dev.bookstore.local.api;
