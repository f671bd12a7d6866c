package org.inkwell.data;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A single-channel image as floats in [0, 1], row-major: ink = 0.0, paper = 1.0 (the seed's convention).
 * Mutable only through {@link #set}; operations return new images.
 */
public final class GrayImage {
    public static final float INK = 0f;
    public static final float PAPER = 1f;

    private final int width;
    private final int height;
    private final float[] pixels;

    public GrayImage(int width, int height, float[] pixels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (pixels.length != (long) width * height) {
            throw new IllegalArgumentException("pixel count " + pixels.length + " != " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    public static GrayImage blank(int width, int height) {
        float[] p = new float[width * height];
        Arrays.fill(p, PAPER);
        return new GrayImage(width, height, p);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public float get(int x, int y) {
        return pixels[y * width + x];
    }

    public void set(int x, int y, float v) {
        pixels[y * width + x] = v;
    }

    /** The backing array, not a copy: callers that hand it to another thread must copy it. */
    public float[] pixels() {
        return pixels;
    }

    public GrayImage copy() {
        return new GrayImage(width, height, pixels.clone());
    }

    /** Fraction of pixels darker than mid-grey. */
    public double inkFraction() {
        long ink = 0;
        for (float v : pixels) {
            if (v < 0.5f) {
                ink++;
            }
        }
        return ink / (double) pixels.length;
    }

    /** Pixels below {@code threshold} become ink, the rest paper. */
    public GrayImage threshold(double threshold) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = pixels[i] < threshold ? INK : PAPER;
        }
        return new GrayImage(width, height, out);
    }

    public GrayImage crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + x + "," + y + " " + w + "x" + h + " outside " + width + "x" + height);
        }
        float[] out = new float[w * h];
        for (int r = 0; r < h; r++) {
            System.arraycopy(pixels, (y + r) * width + x, out, r * w, w);
        }
        return new GrayImage(w, h, out);
    }

    /**
     * This image at (x, y) on a canvas of the given size whose other pixels mirror the image across its edges, so
     * noise and texture continue into the margin instead of stopping at clean paper (a network reads such an
     * edge as structure and leaves specks along it).
     */
    public GrayImage reflectOnto(int canvasWidth, int canvasHeight, int x, int y) {
        float[] out = new float[canvasWidth * canvasHeight];
        for (int ty = 0; ty < canvasHeight; ty++) {
            int sy = mirror(ty - y, height);
            for (int tx = 0; tx < canvasWidth; tx++) {
                out[ty * canvasWidth + tx] = pixels[sy * width + mirror(tx - x, width)];
            }
        }
        return new GrayImage(canvasWidth, canvasHeight, out);
    }

    /** Index {@code u} reflected into [0, n) without repeating the edge pixel: ... 2 1 0 | 0 1 2 ... n-1 | n-1 n-2 ... */
    public static int mirror(int u, int n) {
        int period = 2 * n;
        int m = Math.floorMod(u, period);
        return m < n ? m : period - 1 - m;
    }

    /**
     * This image turned by {@code degrees} (positive: clockwise as seen) about its centre, on a canvas grown to hold
     * all of it; corners outside the original are paper. Bilinear.
     */
    public GrayImage rotated(double degrees) {
        if (degrees == 0) {
            return this;
        }
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        int w2 = (int) Math.ceil(Math.abs(width * cos) + Math.abs(height * sin));
        int h2 = (int) Math.ceil(Math.abs(width * sin) + Math.abs(height * cos));
        float[] out = new float[w2 * h2];
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        double cx2 = (w2 - 1) / 2.0;
        double cy2 = (h2 - 1) / 2.0;
        for (int y = 0; y < h2; y++) {
            for (int x = 0; x < w2; x++) {
                // The source point that lands here: the inverse rotation.
                double dx = x - cx2;
                double dy = y - cy2;
                double sx = dx * cos + dy * sin + cx;
                double sy = -dx * sin + dy * cos + cy;
                out[y * w2 + x] = sample(sx, sy);
            }
        }
        return new GrayImage(w2, h2, out);
    }

    /** Bilinear value at a fractional position; paper outside the image. */
    private float sample(double x, double y) {
        if (x < -0.5 || y < -0.5 || x > width - 0.5 || y > height - 0.5) {
            return PAPER;
        }
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double v00 = at(x0, y0);
        double v10 = at(x0 + 1, y0);
        double v01 = at(x0, y0 + 1);
        double v11 = at(x0 + 1, y0 + 1);
        return (float) ((v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy);
    }

    private float at(int x, int y) {
        return pixels[Math.max(0, Math.min(height - 1, y)) * width + Math.max(0, Math.min(width - 1, x))];
    }

    /** Places this image at (x, y) on a paper canvas of the given size. */
    public GrayImage placeOn(int canvasWidth, int canvasHeight, int x, int y) {
        GrayImage canvas = blank(canvasWidth, canvasHeight);
        for (int r = 0; r < height; r++) {
            int ty = y + r;
            if (ty < 0 || ty >= canvasHeight) {
                continue;
            }
            for (int c = 0; c < width; c++) {
                int tx = x + c;
                if (tx >= 0 && tx < canvasWidth) {
                    canvas.pixels[ty * canvasWidth + tx] = pixels[r * width + c];
                }
            }
        }
        return canvas;
    }

    /** 8-bit grey image: ink black, paper white. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            data[i] = (byte) toByte(pixels[i]);
        }
        return img;
    }

    /** ARGB image with paper fully transparent and ink opaque black, alpha following darkness. */
    public BufferedImage toTransparentImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] argb = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            int alpha = 255 - toByte(pixels[i]);
            argb[i] = alpha << 24;
        }
        img.setRGB(0, 0, width, height, argb, 0, width);
        return img;
    }

    static int toByte(float v) {
        int b = Math.round(v * 255f);
        return b < 0 ? 0 : Math.min(255, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrayImage g && g.width == width && g.height == height && Arrays.equals(g.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "GrayImage[" + width + "x" + height + "]";
    }
}
