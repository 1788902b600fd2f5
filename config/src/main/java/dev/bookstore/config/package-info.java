/** A function's settings, read from its environment once and checked, so a mistake stops it at start-up with the variable's name. */
package dev.bookstore.config;
