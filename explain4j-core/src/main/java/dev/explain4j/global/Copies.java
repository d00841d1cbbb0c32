package dev.explain4j.global;

/** Copies for the results' matrices, which hand out their own copies so that a result cannot be changed. */
final class Copies {
    private Copies() {
    }

    static double[][] of(double[][] matrix) {
        double[][] copy = new double[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            copy[i] = matrix[i].clone();
        }
        return copy;
    }
}
