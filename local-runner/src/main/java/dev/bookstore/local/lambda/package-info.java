/** Simulated Lambda: execution environments created on demand, one invocation at a time each, events and responses through the runtime's serializer. */
package dev.bookstore.local.lambda;
