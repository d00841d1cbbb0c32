/** The result type every method returns and every view reads, the method contract, and shared helpers. */
package dev.explain4j.core;
