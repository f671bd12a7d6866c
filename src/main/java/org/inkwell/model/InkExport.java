package org.inkwell.model;

import org.inkwell.data.GrayImage;

import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Turns the network's ink probabilities into what people paste into documents: black-and-white, or ink of a
 * chosen colour on a transparent background whose alpha follows the ink smoothly at stroke edges; optionally
 * cropped to the ink with a margin.
 */
public final class InkExport {
    /** The colours offered by name; any #RRGGBB works too. */
    public static final int BLACK = 0x000000;
    public static final int BLUE = 0x1A3A9C;
    /** Half the width of the probability band over which alpha goes from 0 to 1 around the threshold. */
    static final double EDGE = 0.2;

    private InkExport() {
    }

    /**
     * {@code region}: the part of the result to keep (the crop box, in the result's pixels; null for all of it);
     * {@code rotation}: degrees to turn it by (positive clockwise: minus the page's tilt straightens it), after
     * which it is trimmed to the ink plus {@code margin}; {@code crop}: trim to the ink plus {@code margin}.
     */
    public record Style(boolean transparent, int inkRgb, boolean crop, int margin, java.awt.Rectangle region, double rotation) {
        public static final Style PLAIN = new Style(false, BLACK, false, 8);

        public Style(boolean transparent, int inkRgb, boolean crop, int margin) {
            this(transparent, inkRgb, crop, margin, null, 0);
        }

        public Style {
            region = region == null ? null : new java.awt.Rectangle(region); // a Rectangle is mutable
        }

        @Override
        public java.awt.Rectangle region() {
            return region == null ? null : new java.awt.Rectangle(region);
        }
    }

    /** "black", "blue" or "#RRGGBB". */
    public static int parseColour(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "black" -> BLACK;
            case "blue" -> BLUE;
            default -> {
                if (v.matches("#[0-9a-f]{6}")) {
                    yield Integer.parseInt(v.substring(1), 16);
                }
                throw new IllegalArgumentException("ink colour must be black, blue or #RRGGBB, got '" + s + "'");
            }
        };
    }

    /**
     * {@code probs} is the network's output (0 = certainly ink, 1 = paper); a pixel is ink below {@code threshold}.
     */
    public static BufferedImage render(GrayImage probs, double threshold, Style style) {
        return place(probs, threshold, style).image();
    }

    /**
     * An export and where its pixels come from: {@code region} of the source, turned by {@code rotation} degrees
     * (onto a {@code turnedW x turnedH} canvas), of which the image starts at ({@code offX}, {@code offY}).
     */
    public record Placed(BufferedImage image, java.awt.Rectangle region, double rotation, int turnedW, int turnedH,
                         int offX, int offY) {
        /** The source pixel an export pixel shows (may lie outside the source for a straightened corner). */
        public java.awt.geom.Point2D toSource(double x, double y) {
            double u = x + offX;
            double v = y + offY;
            if (rotation != 0) {
                double a = Math.toRadians(rotation);
                double dx = u - (turnedW - 1) / 2.0;
                double dy = v - (turnedH - 1) / 2.0;
                u = dx * Math.cos(a) + dy * Math.sin(a) + (region.width - 1) / 2.0;
                v = -dx * Math.sin(a) + dy * Math.cos(a) + (region.height - 1) / 2.0;
            }
            return new java.awt.geom.Point2D.Double(u + region.x, v + region.y);
        }
    }

    /** How wide {@code pixels} are on paper at {@code dpi}, in millimetres; 0 when the dpi is unknown (0). */
    public static double widthMm(int pixels, double dpi) {
        return dpi > 0 ? pixels / dpi * 25.4 : 0;
    }

    /**
     * {@code image} resized to {@code widthMm} at {@code dpi} (its height in proportion): what is written for a
     * signature of a physical size. Smooth (area averaging down, bicubic up); the alpha is resized with the colour.
     */
    public static BufferedImage atPhysicalSize(BufferedImage image, double widthMm, double dpi) {
        if (widthMm <= 0 || dpi <= 0) {
            return image;
        }
        int w = Math.max(1, (int) Math.round(widthMm / 25.4 * dpi));
        int h = Math.max(1, (int) Math.round((double) image.getHeight() * w / image.getWidth()));
        if (w == image.getWidth()) {
            return image;
        }
        if ((long) w * h > org.inkwell.data.ImageFiles.MAX_PIXELS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%.0f mm at %.0f dpi is %d x %d pixels, more than Inkwell writes; choose a smaller size or dpi", widthMm, dpi, w, h));
        }
        int type = image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB
                : image.getType() == BufferedImage.TYPE_BYTE_GRAY ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
        BufferedImage out = new BufferedImage(w, h, type);
        java.awt.Graphics2D g = out.createGraphics();
        if (w < image.getWidth()) {
            g.drawImage(image.getScaledInstance(w, h, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        } else {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(image, 0, 0, w, h, null);
        }
        g.dispose();
        return out;
    }

    /** As {@link #render}, with where each pixel comes from. */
    public static Placed place(GrayImage probs, double threshold, Style style) {
        java.awt.Rectangle region = clip(probs, style.region());
        GrayImage p = region.width == probs.width() && region.height == probs.height() ? probs
                : probs.crop(region.x, region.y, region.width, region.height);
        if (style.rotation() != 0) {
            p = p.rotated(style.rotation());
        }
        int turnedW = p.width();
        int turnedH = p.height();
        java.awt.Rectangle ink = new java.awt.Rectangle(0, 0, turnedW, turnedH);
        if (style.rotation() != 0 || style.crop()) {
            ink = inkBox(p, threshold, style.margin());
            p = p.crop(ink.x, ink.y, ink.width, ink.height);
        }
        return new Placed(pixels(p, threshold, style), region, style.rotation(), turnedW, turnedH, ink.x, ink.y);
    }

    private static BufferedImage pixels(GrayImage p, double threshold, Style style) {
        if (!style.transparent()) {
            // Written row by row into the image: no thresholded copy of a large page.
            boolean black = style.inkRgb() == BLACK;
            BufferedImage out = new BufferedImage(p.width(), p.height(),
                    black ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            int[] row = new int[p.width()];
            for (int y = 0; y < p.height(); y++) {
                for (int x = 0; x < p.width(); x++) {
                    boolean ink = p.get(x, y) < threshold;
                    row[x] = black ? (ink ? 0 : 255) : (ink ? style.inkRgb() : 0xFFFFFF);
                }
                if (black) {
                    out.getRaster().setSamples(0, y, p.width(), 1, 0, row);
                } else {
                    out.setRGB(0, y, p.width(), 1, row, 0, p.width());
                }
            }
            return out;
        }
        BufferedImage out = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_INT_ARGB);
        int[] argb = new int[p.width() * p.height()];
        float[] px = p.pixels();
        for (int i = 0; i < argb.length; i++) {
            argb[i] = (alpha(px[i], threshold) << 24) | (style.inkRgb() & 0xFFFFFF);
        }
        out.setRGB(0, 0, p.width(), p.height(), argb, 0, p.width());
        return out;
    }

    /** 255 well inside the ink, 0 on paper, a smooth ramp across the threshold (anti-aliased stroke edges). */
    static int alpha(float paperProbability, double threshold) {
        // The band never reaches past certain ink (0) or certain paper (1), whatever the threshold.
        double edge = Math.max(0.01, Math.min(EDGE, Math.min(threshold, 1 - threshold)));
        double t = (threshold + edge - paperProbability) / (2 * edge);
        t = Math.max(0, Math.min(1, t));
        double smooth = t * t * (3 - 2 * t);
        return (int) Math.round(255 * smooth);
    }

    /** {@code box} clipped to the image; all of it when {@code box} is null or outside. */
    private static java.awt.Rectangle clip(GrayImage probs, java.awt.Rectangle box) {
        java.awt.Rectangle all = new java.awt.Rectangle(0, 0, probs.width(), probs.height());
        if (box == null) {
            return all;
        }
        java.awt.Rectangle r = box.intersection(all);
        return r.isEmpty() ? all : r;
    }

    /** The bounding box of the pixels below {@code threshold}, plus {@code margin}; the whole image when none are. */
    public static GrayImage cropToInk(GrayImage probs, double threshold, int margin) {
        java.awt.Rectangle r = inkBox(probs, threshold, margin);
        return r.width == probs.width() && r.height == probs.height() ? probs : probs.crop(r.x, r.y, r.width, r.height);
    }

    static java.awt.Rectangle inkBox(GrayImage probs, double threshold, int margin) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < probs.height(); y++) {
            for (int x = 0; x < probs.width(); x++) {
                if (probs.get(x, y) < threshold) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            return new java.awt.Rectangle(0, 0, probs.width(), probs.height());
        }
        // In long: a margin near Integer.MAX_VALUE must clip to the image, not wrap around.
        int x0 = (int) Math.max(0, (long) minX - margin);
        int y0 = (int) Math.max(0, (long) minY - margin);
        int x1 = (int) Math.min(probs.width() - 1, (long) maxX + margin);
        int y1 = (int) Math.min(probs.height() - 1, (long) maxY + margin);
        return new java.awt.Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
}
