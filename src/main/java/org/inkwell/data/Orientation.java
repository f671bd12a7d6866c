package org.inkwell.data;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A photo's EXIF orientation (read with TwelveMonkeys' metadata library), applied so the image is upright. */
final class Orientation {
    private Orientation() {
    }

    /** EXIF orientation 1-8 of a JPEG file; 1 (as stored) when it has none or is not a JPEG. */
    static int exifOrientation(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return 1;
            }
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            for (JPEGSegment segment : exif) {
                byte[] data = segment.data().readAllBytes();
                int start = tiffStart(data); // after "Exif\0" and its pad byte, however much of it data() includes
                if (start < 0) {
                    continue;
                }
                try (ImageInputStream tiff = ImageIO.createImageInputStream(
                        new ByteArrayInputStream(data, start, data.length - start))) {
                    Directory d = new TIFFReader().read(tiff);
                    Entry e = d.getEntryById(TIFF.TAG_ORIENTATION);
                    if (e != null && e.getValue() instanceof Number n) {
                        int v = n.intValue();
                        return v >= 1 && v <= 8 ? v : 1;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not a JPEG, or no readable EXIF: shown as stored, like every viewer does.
        }
        return 1;
    }

    private static int tiffStart(byte[] d) {
        for (int i = 0; i + 3 < d.length && i < 16; i++) {
            if ((d[i] == 'I' && d[i + 1] == 'I' && d[i + 2] == 42 && d[i + 3] == 0)
                    || (d[i] == 'M' && d[i + 1] == 'M' && d[i + 2] == 0 && d[i + 3] == 42)) {
                return i;
            }
        }
        return -1;
    }

    /** The image turned and mirrored as EXIF orientation {@code o} says (1 = unchanged, 6 = turn 90 degrees clockwise). */
    static BufferedImage upright(BufferedImage src, int o) {
        if (o <= 1 || o > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = o >= 5;
        AffineTransform t = new AffineTransform();
        switch (o) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> { t.rotate(Math.PI / 2); t.scale(1, -1); }
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> t.setTransform(0, -1, -1, 0, h, w); // transverse: (x, y) -> (h - y, w - x)
            case 8 -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { }
        }
        int type = src.getType() == BufferedImage.TYPE_CUSTOM ? BufferedImage.TYPE_INT_ARGB : src.getType();
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, type);
        new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(src, out);
        return out;
    }
}
