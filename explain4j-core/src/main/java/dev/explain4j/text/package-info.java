/**
 * Text in and out of token models: {@link dev.explain4j.text.Vocabulary} (token ↔ id, read from a token-per-line
 * file, a Keras tokenizer's JSON or a DL4J word-vector text file) and {@link dev.explain4j.text.Tokenizer} (text to
 * fixed-length id sequences the way Keras' {@code Tokenizer} and {@code pad_sequences} do it, keeping the token
 * of every position for the outputs).
 */
package dev.explain4j.text;
