package org.inkwell.data;

/** An indexed collection of signature images: a folder on disk or the built-in generator. */
public interface SignatureSource {
    int size();

    /** A short, stable label for image {@code i}: a relative file path or {@code synthetic-<n>}. */
    String name(int i);

    /** Image {@code i}, binarized (ink 0, paper 1) at its native size. */
    GrayImage load(int i) throws ImageLoadException;

    /** One line for status bars and model metadata. */
    String description();

    /** The images at {@code indices}, in that order, as a view of this source. */
    default SignatureSource subset(int[] indices, String label) {
        SignatureSource parent = this;
        int[] idx = indices.clone();
        return new SignatureSource() {
            @Override
            public int size() {
                return idx.length;
            }

            @Override
            public String name(int i) {
                return parent.name(idx[i]);
            }

            @Override
            public GrayImage load(int i) throws ImageLoadException {
                return parent.load(idx[i]);
            }

            @Override
            public String description() {
                return parent.description() + " (" + label + ", " + idx.length + ")";
            }
        };
    }
}
