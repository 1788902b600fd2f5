/** How the client sends, signs, retries and reads; not API, and free to change. */
package dev.bookstore.client.internal;
