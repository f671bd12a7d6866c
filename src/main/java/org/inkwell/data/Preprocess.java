package org.inkwell.data;

/** Resizing as the seed does it (nearest neighbour, aspect squashed) and aspect-preserving alternatives. */
public final class Preprocess {
    public static final int SEED_SIZE = 224;

    private Preprocess() {
    }

    /** How a scan of any size becomes a network input of fixed size. */
    public enum Mode {
        /** The seed: nearest-neighbour resize to size x size, aspect squashed. */
        SEED,
        /** Scale to fit inside size x size keeping the aspect, centre, pad with paper. */
        FIT
    }

    public static GrayImage apply(GrayImage img, Mode mode, int size) {
        return mode == Mode.SEED ? resizeNearest(img, size, size) : fitPadded(img, size, size);
    }

    /** OpenCV's INTER_NEAREST: destination pixel d samples source floor(d * src / dst). */
    public static GrayImage resizeNearest(GrayImage img, int width, int height) {
        if (img.width() == width && img.height() == height) {
            return img.copy();
        }
        float[] src = img.pixels();
        float[] out = new float[width * height];
        double sx = img.width() / (double) width;
        double sy = img.height() / (double) height;
        int[] xs = new int[width];
        for (int x = 0; x < width; x++) {
            xs[x] = Math.min((int) Math.floor(x * sx), img.width() - 1);
        }
        for (int y = 0; y < height; y++) {
            int srcRow = Math.min((int) Math.floor(y * sy), img.height() - 1) * img.width();
            for (int x = 0; x < width; x++) {
                out[y * width + x] = src[srcRow + xs[x]];
            }
        }
        return new GrayImage(width, height, out);
    }

    /** Scales (nearest) to fit inside width x height keeping the aspect ratio, centred on paper. */
    public static GrayImage fitPadded(GrayImage img, int width, int height) {
        double scale = Math.min(width / (double) img.width(), height / (double) img.height());
        int w = Math.max(1, Math.min(width, (int) Math.round(img.width() * scale)));
        int h = Math.max(1, Math.min(height, (int) Math.round(img.height() * scale)));
        GrayImage scaled = resizeNearest(img, w, h);
        return scaled.placeOn(width, height, (width - w) / 2, (height - h) / 2);
    }

    /** Pads with paper on the right and bottom so both sides are multiples of {@code multiple}. */
    public static GrayImage padToMultiple(GrayImage img, int multiple) {
        int w = roundUp(img.width(), multiple);
        int h = roundUp(img.height(), multiple);
        if (w == img.width() && h == img.height()) {
            return img;
        }
        return img.placeOn(w, h, 0, 0);
    }

    public static int roundUp(int v, int multiple) {
        return ((v + multiple - 1) / multiple) * multiple;
    }
}
