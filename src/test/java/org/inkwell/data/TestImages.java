package org.inkwell.data;

/** Small hand-made images for tests. */
public final class TestImages {
    private TestImages() {
    }

    /** Parses rows like "#.." where '#' is ink and '.' paper. */
    public static GrayImage parse(String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        float[] px = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = rows[y].charAt(x) == '#' ? GrayImage.INK : GrayImage.PAPER;
            }
        }
        return new GrayImage(w, h, px);
    }

    public static String[] rows(GrayImage img) {
        String[] out = new String[img.height()];
        for (int y = 0; y < img.height(); y++) {
            StringBuilder sb = new StringBuilder();
            for (int x = 0; x < img.width(); x++) {
                sb.append(img.get(x, y) < 0.5f ? '#' : '.');
            }
            out[y] = sb.toString();
        }
        return out;
    }

    /** An image whose pixel values are their own index, to track where pixels move. */
    public static GrayImage indexed(int w, int h) {
        float[] px = new float[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = i;
        }
        return new GrayImage(w, h, px);
    }
}
