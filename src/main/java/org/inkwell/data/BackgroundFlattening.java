package org.inkwell.data;

/**
 * Divides a grey scan by an estimate of its paper brightness, so shadows, illumination gradients and tinted paper
 * become white paper while ink keeps its contrast to the paper around it. The estimate is a local maximum over a
 * window wider than any stroke, smoothed; the result is clipped to [0, 1]. A binary image comes back unchanged
 * unless ink covers a whole window. Part of the grey model's pipeline: applied in training and in cleaning.
 */
public final class BackgroundFlattening {
    /** Half the window of the local maximum: wider than a marker stroke at 600 dpi (about 10 px). */
    public static final int RADIUS = 15;

    private BackgroundFlattening() {
    }

    public static GrayImage apply(GrayImage scan) {
        int w = scan.width();
        int h = scan.height();
        float[] bg = Filters.boxBlur(Filters.maxFilter(scan.pixels(), w, h, RADIUS), w, h, RADIUS);
        float[] src = scan.pixels();
        float[] out = new float[src.length];
        for (int i = 0; i < out.length; i++) {
            float b = Math.max(bg[i], 0.05f);
            out[i] = Math.min(1f, src[i] / b);
        }
        return new GrayImage(w, h, out);
    }
}
