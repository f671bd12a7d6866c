package org.inkwell.data;

import org.inkwell.data.SigmaLognormal.Trajectory;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;

/** Draws pen trajectories anti-aliased, with a width that shrinks as the pen speeds up, then binarizes them. */
final class SignatureRenderer {
    private SignatureRenderer() {
    }

    static GrayImage render(List<Trajectory> strokes, WriterStyle w, SplittableRandom r) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        double maxSpeed = 1e-9;
        for (Trajectory t : strokes) {
            for (int i = 0; i < t.size(); i++) {
                minX = Math.min(minX, t.xs()[i]);
                maxX = Math.max(maxX, t.xs()[i]);
                minY = Math.min(minY, t.ys()[i]);
                maxY = Math.max(maxY, t.ys()[i]);
                maxSpeed = Math.max(maxSpeed, t.speeds()[i]);
            }
        }
        double px = w.xHeightPx * (1 + 0.05 * r.nextGaussian());
        double pen = w.penWidthPx * (1 + 0.08 * r.nextGaussian());
        int margin = 10 + r.nextInt(25);
        int width = (int) Math.ceil((maxX - minX) * px) + 2 * margin;
        int height = (int) Math.ceil((maxY - minY) * px) + 2 * margin;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (Trajectory t : strokes) {
                double lastX = margin + (t.xs()[0] - minX) * px;
                double lastY = margin + (maxY - t.ys()[0]) * px;
                if (t.size() < 3 || pathLength(t) * px < pen) {
                    g.fill(new Ellipse2D.Double(lastX - pen * 0.7, lastY - pen * 0.7, pen * 1.4, pen * 1.4));
                    continue;
                }
                for (int i = 1; i < t.size(); i++) {
                    double x = margin + (t.xs()[i] - minX) * px;
                    double y = margin + (maxY - t.ys()[i]) * px;
                    if (Math.hypot(x - lastX, y - lastY) < 0.6 && i < t.size() - 1) {
                        continue;
                    }
                    double relSpeed = Math.min(1, t.speeds()[i] / maxSpeed);
                    float width2 = (float) Math.max(0.9, pen * (1 + 0.3 * w.speedThinning - w.speedThinning * relSpeed));
                    g.setStroke(new BasicStroke(width2, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.draw(new Line2D.Double(lastX, lastY, x, y));
                    lastX = x;
                    lastY = y;
                }
            }
        } finally {
            g.dispose();
        }
        return ImageFiles.toGray(img).threshold(0.5);
    }

    private static double pathLength(Trajectory t) {
        double len = 0;
        for (int i = 1; i < t.size(); i++) {
            len += Math.hypot(t.xs()[i] - t.xs()[i - 1], t.ys()[i] - t.ys()[i - 1]);
        }
        return len;
    }
}
