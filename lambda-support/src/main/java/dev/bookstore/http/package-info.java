/** HTTP as API Gateway's REST proxy integration sees it: request helpers and RFC 9457 problem responses. */
package dev.bookstore.http;
