package org.inkwell.data;

import java.util.random.RandomGenerator;

/** The seed's augmentation: horizontal flip with p = 1/2, then rotate cw / ccw / 180 / none with p = 1/4 each. */
public final class Augment {
    private Augment() {
    }

    public enum Rotation { NONE, CW, CCW, HALF }

    public static GrayImage random(GrayImage img, RandomGenerator rng) {
        boolean flip = rng.nextInt(2) == 1;
        Rotation rot = Rotation.values()[rng.nextInt(4)];
        return apply(img, flip, rot);
    }

    public static GrayImage apply(GrayImage img, boolean flip, Rotation rotation) {
        GrayImage out = flip ? flipHorizontal(img) : img;
        return switch (rotation) {
            case NONE -> out;
            case CW -> rotateClockwise(out);
            case CCW -> rotateCounterClockwise(out);
            case HALF -> rotate180(out);
        };
    }

    public static GrayImage flipHorizontal(GrayImage img) {
        int w = img.width();
        int h = img.height();
        float[] src = img.pixels();
        float[] out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = src[y * w + (w - 1 - x)];
            }
        }
        return new GrayImage(w, h, out);
    }

    /** 90 degrees clockwise: the top row becomes the right column. */
    public static GrayImage rotateClockwise(GrayImage img) {
        int w = img.width();
        int h = img.height();
        float[] src = img.pixels();
        float[] out = new float[src.length];
        // out is h wide, w high; out(x', y') = src(x = y', y = h - 1 - x')
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[x * h + (h - 1 - y)] = src[y * w + x];
            }
        }
        return new GrayImage(h, w, out);
    }

    public static GrayImage rotateCounterClockwise(GrayImage img) {
        int w = img.width();
        int h = img.height();
        float[] src = img.pixels();
        float[] out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[(w - 1 - x) * h + y] = src[y * w + x];
            }
        }
        return new GrayImage(h, w, out);
    }

    public static GrayImage rotate180(GrayImage img) {
        float[] src = img.pixels();
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            out[src.length - 1 - i] = src[i];
        }
        return new GrayImage(img.width(), img.height(), out);
    }
}
