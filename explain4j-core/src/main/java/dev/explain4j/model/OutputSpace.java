package dev.explain4j.model;

/** Which output of the network is explained. */
public enum OutputSpace {
    /** What the network outputs, e.g. after softmax (the default). */
    PROBABILITY,
    /** The last layer's pre-activation: the network with its last activation function replaced by identity. */
    LOGIT;

    /** Parses {@code probability} or {@code logit}. */
    public static OutputSpace parse(String name) {
        for (OutputSpace space : values()) {
            if (space.name().equalsIgnoreCase(name)) {
                return space;
            }
        }
        throw new IllegalArgumentException("unknown output space '" + name + "', expected probability or logit");
    }
}
