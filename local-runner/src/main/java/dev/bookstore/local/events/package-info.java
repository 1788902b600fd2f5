/** EventBridge on this machine: the template's buses, their rules, and delivery to the rules' queue targets. */
package dev.bookstore.local.events;
