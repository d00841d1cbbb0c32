package dev.explain4j.model;

import org.deeplearning4j.nn.conf.RNNFormat;

/**
 * The input of a network that starts with an embedding: integer token ids, one per position.
 *
 * @param vocabulary  ids are integers in [0, vocabulary)
 * @param length      positions per row; -1 when the network takes sequences of any length
 * @param dimension   values per token the embedding maps an id to
 * @param embedded    layout of the embedding's output: NCW ([d, T] per row) or NWC ([T, d]); null for a single id
 *                    embedded as [d]
 */
public record TokenInput(long vocabulary, long length, long dimension, RNNFormat embedded) {

    /** The axis of the embedding's output (batch axis 0) that holds the embedding dimension. */
    public int embeddingAxis() {
        return embedded == RNNFormat.NWC ? 2 : 1;
    }
}
