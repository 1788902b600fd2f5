/** MyBatis mapper interfaces; each has its SQL in the XML file of the same name under resources. */
package dev.bookstore.mapper;
