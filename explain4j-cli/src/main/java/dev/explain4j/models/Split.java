package dev.explain4j.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A fixed, stratified split of a labelled data set into training and held-out rows: each class gives the same share
 * of its rows to the held-out set, chosen by a seeded shuffle, so the accuracies in models/README.md can be
 * reproduced exactly.
 */
public record Split(int[] training, int[] heldOut) {

    public static Split stratified(LabelledData data, double heldOutShare, long seed) {
        if (!(heldOutShare > 0 && heldOutShare < 1)) {
            throw new IllegalArgumentException("held-out share must be in (0, 1), got " + heldOutShare);
        }
        Random random = new Random(seed);
        List<Integer> training = new ArrayList<>();
        List<Integer> heldOut = new ArrayList<>();
        for (int label = 0; label < data.classes(); label++) {
            List<Integer> rows = new ArrayList<>();
            for (int row = 0; row < data.size(); row++) {
                if (data.label(row) == label) {
                    rows.add(row);
                }
            }
            Collections.shuffle(rows, random);
            int held = (int) Math.round(rows.size() * heldOutShare);
            heldOut.addAll(rows.subList(0, held));
            training.addAll(rows.subList(held, rows.size()));
        }
        return new Split(sorted(training), sorted(heldOut));
    }

    private static int[] sorted(List<Integer> rows) {
        int[] array = rows.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(array);
        return array;
    }
}
