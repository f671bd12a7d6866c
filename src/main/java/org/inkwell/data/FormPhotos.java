package org.inkwell.data;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/**
 * Phone photos of signed forms, for measuring the signature finder: a printed A4 form (title, paragraphs, fields with
 * printed lines, a signature line with its caption) signed with a generated signature, photographed on a table:
 * tilted, lit unevenly with a shadow, a colour cast, dust, sensor noise and JPEG. The truth is the signature's
 * bounding box in the photo.
 *
 * <p>Photo {@code i} of {@code n} gets a signature whose width is spread evenly over 5-40 % of the page width.
 */
public final class FormPhotos {
    private static final String[] WORDS = ("the applicant declares that all information given in this form is true and "
            + "complete to the best of their knowledge and agrees that any false statement may lead to refusal of the "
            + "application payment terms conditions date address account number reference office use only please "
            + "return signed copy within thirty days of receipt contract annex section paragraph").split(" ");
    private static final String[] TITLES = {"APPLICATION FORM", "Consent and Declaration", "Rental Agreement",
            "Purchase Order", "Membership Application", "Employee Onboarding"};
    private static final String[] CAPTIONS = {"Signature of applicant", "Signature", "Signed", "Customer signature",
            "Authorised signature"};
    private static final String[] FIELDS = {"Name:", "Address:", "Date of birth:", "Phone:", "E-mail:", "Reference:"};

    /** One rendered photo: the encoded JPEG, its decoded pixels and where the signature is. */
    /** {@code signatureMask}: the pen's coverage in the photo, 0-255 (255 where the signature's ink is). */
    public record Photo(byte[] jpeg, BufferedImage image, Rectangle signature, BufferedImage signatureMask,
                        double signatureWidthFraction, double tiltDegrees, int jpegQuality) {
    }

    private FormPhotos() {
    }

    /** Photo {@code i} of {@code n} (signature width 5-40 % of the page), {@code width x height} pixels. */
    public static Photo render(long seed, int i, int n, int width, int height) {
        double fraction = 0.05 + 0.35 * (n <= 1 ? 0.5 : (double) i / (n - 1));
        return render(Seeds.mix(seed, i, 0xF0A3L), fraction, width, height);
    }

    /** The signed form alone, flat and upright, {@code pageHeight} pixels high (A4): before any camera. */
    /** {@code signatureMask}: the pen's coverage, 0-255. */
    public record Sheet(BufferedImage image, Rectangle signature, BufferedImage signatureMask) {
    }

    public static Sheet sheet(long seed, double signatureFraction, int pageHeight) {
        SplittableRandom rng = new SplittableRandom(seed);
        int pw = (int) (pageHeight / Math.sqrt(2));
        BufferedImage page = new BufferedImage(pw, pageHeight, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(pw, pageHeight, BufferedImage.TYPE_BYTE_GRAY);
        drawForm(page, mask, signatureFraction, rng, false);
        return new Sheet(page, boundingBox(mask, 128), mask);
    }

    public static Photo render(long seed, double signatureFraction, int width, int height) {
        SplittableRandom rng = new SplittableRandom(seed);
        // The page fills most of the frame, upright, A4 portrait.
        double pageH = Math.min(height * (0.80 + 0.15 * rng.nextDouble()), width * 0.95 * Math.sqrt(2));
        int ph = (int) pageH;
        int pw = (int) (pageH / Math.sqrt(2));
        BufferedImage page = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(pw, ph, BufferedImage.TYPE_BYTE_GRAY);
        drawForm(page, mask, signatureFraction, rng, true);

        // Photograph it: tilted, a little off-centre, on a table.
        double tilt = (rng.nextDouble() * 2 - 1) * 6;
        AffineTransform at = new AffineTransform();
        at.translate(width / 2.0 + (rng.nextDouble() - 0.5) * 0.04 * width, height / 2.0 + (rng.nextDouble() - 0.5) * 0.04 * height);
        at.rotate(Math.toRadians(tilt));
        at.translate(-pw / 2.0, -ph / 2.0);
        BufferedImage photo = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        int table = rng.nextBoolean() ? 0x5A4632 : 0x3C3F44;
        g.setColor(new Color(table));
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(page, at, null);
        g.dispose();
        BufferedImage truth = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D gm = truth.createGraphics();
        gm.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        gm.drawImage(mask, at, null);
        gm.dispose();
        Rectangle box = boundingBox(truth, 128);

        light(photo, rng);
        int quality = 40 + rng.nextInt(46);
        byte[] jpeg = jpeg(photo, quality / 100f);
        try {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
            return new Photo(jpeg, decoded, box, truth, signatureFraction, tilt, quality);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drawForm(BufferedImage page, BufferedImage mask, double fraction, SplittableRandom rng, boolean dust) {
        int w = page.getWidth();
        int h = page.getHeight();
        Graphics2D g = page.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int paper = 0xF4F1EA + (rng.nextInt(8) << 16) - (rng.nextInt(10));
        g.setColor(new Color(paper));
        g.fillRect(0, 0, w, h);
        Color printed = new Color(0x1E1E1E + rng.nextInt(0x20) * 0x010101);
        g.setColor(printed);
        int margin = (int) (0.08 * w);
        String family = rng.nextBoolean() ? Font.SANS_SERIF : Font.SERIF;
        Font title = new Font(family, Font.BOLD, Math.max(6, (int) (0.022 * h)));
        Font body = new Font(family, Font.PLAIN, Math.max(5, (int) (0.0125 * h)));
        Font small = new Font(family, Font.PLAIN, Math.max(5, (int) (0.011 * h)));
        float lineWidth = Math.max(1f, 0.0012f * h);

        // The signature first: its size decides how much text fits above it.
        SignatureGenerator gen = new SignatureGenerator(rng.nextLong());
        GrayImage sig = gen.generate(rng.nextInt(1000));
        int sigW = Math.max(8, (int) (fraction * w));
        double scale = (double) sigW / sig.width();
        int sigH = Math.max(4, (int) Math.round(sig.height() * scale));
        int lineY = (int) (h * (0.80 + 0.12 * rng.nextDouble()));
        lineY = Math.max(lineY, sigH + (int) (0.3 * h));
        lineY = Math.min(lineY, h - (int) (0.05 * h));
        boolean right = rng.nextInt(3) == 0;
        int lineLen = Math.max((int) (sigW * 1.15), (int) (0.32 * w));
        lineLen = Math.min(lineLen, w - 2 * margin);
        int lineX = right ? w - margin - lineLen : margin;

        int y = (int) (0.07 * h);
        g.setFont(title);
        g.drawString(TITLES[rng.nextInt(TITLES.length)], margin, y);
        y += (int) (0.04 * h);
        g.setFont(body);
        int step = (int) (body.getSize() * 1.5);
        int stopAt = lineY - sigH - (int) (0.04 * h);
        int fields = 2 + rng.nextInt(3);
        for (int f = 0; f < fields && y < stopAt; f++) {
            String label = FIELDS[rng.nextInt(FIELDS.length)];
            g.drawString(label, margin, y);
            int lx = margin + g.getFontMetrics().stringWidth(label) + body.getSize() / 2;
            g.setStroke(new BasicStroke(lineWidth));
            g.drawLine(lx, y + 2, w - margin, y + 2);
            y += 2 * step;
        }
        y += step;
        while (y < stopAt) {
            StringBuilder line = new StringBuilder();
            int target = w - 2 * margin - rng.nextInt(Math.max(1, w / 6));
            while (true) {
                String next = WORDS[rng.nextInt(WORDS.length)];
                String candidate = line.length() == 0 ? next : line + " " + next;
                if (g.getFontMetrics().stringWidth(candidate) > target) {
                    break;
                }
                line.setLength(0);
                line.append(candidate);
            }
            g.drawString(line.toString(), margin, y);
            y += rng.nextInt(6) == 0 ? 2 * step : step;
        }

        // The signature line, its caption, and a date field beside it when there is room.
        g.setStroke(new BasicStroke(lineWidth));
        g.drawLine(lineX, lineY, lineX + lineLen, lineY);
        g.setFont(small);
        g.drawString(CAPTIONS[rng.nextInt(CAPTIONS.length)], lineX, lineY + (int) (small.getSize() * 1.6));
        if (!right && lineX + lineLen + 0.3 * w < w - margin) {
            int dx = w - margin - (int) (0.25 * w);
            g.setFont(body);
            g.drawString("Date:", dx, lineY);
            g.drawLine(dx + g.getFontMetrics().stringWidth("Date:") + 4, lineY, w - margin, lineY);
        }

        // The signature, in pen ink, resting on the line (descenders cross it); strokes keep a pen's width.
        float[] px = sig.pixels().clone();
        double strokeTarget = Math.max(1.5, w / 210.0 * 0.45); // a 0.45 mm pen, in page pixels
        int grow = (int) Math.round((strokeTarget - 3 * scale) / 2 / scale);
        if (grow > 0) {
            px = minFilter(px, sig.width(), sig.height(), grow);
        }
        int ink = rng.nextBoolean() ? 0x1C2E8C : 0x22242A;
        BufferedImage stamp = new BufferedImage(sig.width(), sig.height(), BufferedImage.TYPE_INT_ARGB);
        BufferedImage stampMask = new BufferedImage(sig.width(), sig.height(), BufferedImage.TYPE_INT_ARGB);
        for (int yy = 0; yy < sig.height(); yy++) {
            for (int xx = 0; xx < sig.width(); xx++) {
                int a = (int) Math.round(255 * (1 - px[yy * sig.width() + xx]));
                stamp.setRGB(xx, yy, (a << 24) | ink);
                stampMask.setRGB(xx, yy, (a << 24) | 0xFFFFFF);
            }
        }
        int sx = lineX + (int) (rng.nextDouble() * Math.max(1, lineLen - sigW));
        // Rests on the line: the lowest ink a little below it (descenders cross it).
        int inkBottom = sig.height() - 1;
        while (inkBottom > 0 && rowIsPaper(px, sig.width(), inkBottom)) {
            inkBottom--;
        }
        int sy = lineY - (int) Math.round((inkBottom + 1) * scale) + (int) (sigH * (0.03 + 0.12 * rng.nextDouble()));
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(stamp, sx, sy, sigW, sigH, null);
        g.dispose();
        Graphics2D gm = mask.createGraphics();
        gm.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        gm.drawImage(stampMask, sx, sy, sigW, sigH, null);
        gm.dispose();

        // Dust on the sheet.
        int specks = dust ? 80 + rng.nextInt(250) : 0;
        int[] rgb = ((java.awt.image.DataBufferInt) page.getRaster().getDataBuffer()).getData();
        for (int s = 0; s < specks; s++) {
            int cx = rng.nextInt(w);
            int cy = rng.nextInt(h);
            double r = 0.6 + rng.nextDouble() * Math.max(1, w / 900.0);
            int v = 40 + rng.nextInt(90);
            for (int yy = (int) (cy - r); yy <= cy + r; yy++) {
                for (int xx = (int) (cx - r); xx <= cx + r; xx++) {
                    if (xx >= 0 && yy >= 0 && xx < w && yy < h && (xx - cx) * (xx - cx) + (yy - cy) * (yy - cy) <= r * r) {
                        rgb[yy * w + xx] = v * 0x010101;
                    }
                }
            }
        }
    }

    /** Uneven light (a lamp's gradient, vignetting, the phone's shadow), a colour cast and sensor noise, in place. */
    private static void light(BufferedImage photo, SplittableRandom rng) {
        int w = photo.getWidth();
        int h = photo.getHeight();
        double angle = rng.nextDouble() * 2 * Math.PI;
        double gx = Math.cos(angle);
        double gy = Math.sin(angle);
        double gradient = 0.15 + 0.3 * rng.nextDouble();
        double vignette = 0.1 + 0.25 * rng.nextDouble();
        // The shadow: a soft-edged half-plane across one part of the frame.
        double sa = rng.nextDouble() * 2 * Math.PI;
        double sx = Math.cos(sa);
        double sy = Math.sin(sa);
        double sOffset = 0.15 + 0.3 * rng.nextDouble();
        double sDepth = 0.25 + 0.3 * rng.nextDouble();
        double sSoft = 0.03 + 0.08 * rng.nextDouble();
        double[] cast = {1 + (rng.nextDouble() - 0.3) * 0.16, 1, 1 - (rng.nextDouble() - 0.3) * 0.2};
        double noise = 2 + 5 * rng.nextDouble();
        int[] rgb = ((java.awt.image.DataBufferInt) photo.getRaster().getDataBuffer()).getData();
        SplittableRandom noiseRng = rng.split();
        double diag = Math.hypot(w, h) / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (x - w / 2.0) / diag;
                double v = (y - h / 2.0) / diag;
                double m = (1 - gradient * (0.5 + 0.5 * (u * gx + v * gy))) * (1 - vignette * (u * u + v * v));
                double d = (u * sx + v * sy - sOffset) / sSoft;
                double t = Math.max(0, Math.min(1, 0.5 + d));
                m *= 1 - sDepth * t * t * (3 - 2 * t);
                int c = rgb[y * w + x];
                double n = noiseRng.nextGaussian() * noise;
                int r = clamp(((c >> 16) & 255) * m * cast[0] + n);
                int gg = clamp(((c >> 8) & 255) * m * cast[1] + n);
                int b = clamp((c & 255) * m * cast[2] + n);
                rgb[y * w + x] = (r << 16) | (gg << 8) | b;
            }
        }
    }

    private static boolean rowIsPaper(float[] px, int w, int y) {
        for (int x = 0; x < w; x++) {
            if (px[y * w + x] < 0.5f) {
                return false;
            }
        }
        return true;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static float[] minFilter(float[] src, int w, int h, int r) {
        float[] neg = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            neg[i] = -src[i];
        }
        float[] m = Filters.maxFilter(neg, w, h, r);
        for (int i = 0; i < m.length; i++) {
            m[i] = -m[i];
        }
        return m;
    }

    static Rectangle boundingBox(BufferedImage grey, int level) {
        int w = grey.getWidth();
        int h = grey.getHeight();
        int minX = w;
        int minY = h;
        int maxX = -1;
        int maxY = -1;
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            grey.getRaster().getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                if (row[x] >= level) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? new Rectangle() : new Rectangle(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    static byte[] jpeg(BufferedImage image, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(quality);
                writer.write(null, new IIOImage(image, null, null), p);
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
