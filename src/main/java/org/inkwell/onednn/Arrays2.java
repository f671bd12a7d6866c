package org.inkwell.onednn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Float copies between ND4J arrays and Java arrays without an ND4J allocation where the array is plain. */
final class Arrays2 {
    private Arrays2() {
    }

    /** Whether {@code a}'s buffer holds exactly its values in C order (a whole array or a contiguous view). */
    static boolean plain(INDArray a) {
        return a.ordering() == 'c' && a.data().length() == a.length() && a.elementWiseStride() == 1;
    }

    /** {@code a}'s values in C order. */
    static float[] floats(INDArray a) {
        if (plain(a)) {
            return a.data().asFloat();
        }
        try (INDArray c = a.dup('c')) {
            return c.data().asFloat();
        }
    }

    /** Writes {@code values} (C order) into {@code target}. */
    static void put(INDArray target, float[] values) {
        if (plain(target)) {
            target.data().setData(values);
        } else {
            try (INDArray staged = org.nd4j.linalg.factory.Nd4j.create(values, target.shape(), 'c')) {
                target.assign(staged);
            }
        }
    }
}
