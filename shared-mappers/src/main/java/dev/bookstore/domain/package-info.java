/** Immutable records that the mappers take and return; no behaviour beyond their invariants. */
package dev.bookstore.domain;
