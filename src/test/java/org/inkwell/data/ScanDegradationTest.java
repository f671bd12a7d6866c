package org.inkwell.data;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanDegradationTest {
    private static final GrayImage SIGNATURE = new SignatureGenerator(3).generate(1);

    @Test
    void theSameSeedGivesTheSameScanAndTruth() {
        ScanDegradation d = ScanDegradation.all(0.2, 0.9);
        TrainingPair a = d.render(SIGNATURE, new SplittableRandom(11));
        TrainingPair b = d.render(SIGNATURE, new SplittableRandom(11));
        assertEquals(a.noisy(), b.noisy());
        assertEquals(a.clean(), b.clean());
        assertNotEquals(a.noisy(), d.render(SIGNATURE, new SplittableRandom(12)).noisy());
        assertEquals(SIGNATURE.width(), a.noisy().width());
        assertEquals(SIGNATURE.height(), a.noisy().height());
    }

    @Test
    void everyPhenomenonCanBeSwitchedOnAlone() {
        GrayImage plain = new ScanDegradation(1, 1, EnumSet.noneOf(ScanDegradation.Phenomenon.class))
                .render(SIGNATURE, new SplittableRandom(1)).noisy();
        for (ScanDegradation.Phenomenon p : ScanDegradation.Phenomenon.values()) {
            ScanDegradation only = ScanDegradation.only(1.0, p);
            boolean changed = false;
            // Some phenomena are drawn with a probability: one of a few seeds must show it.
            for (long seed = 1; seed <= 12 && !changed; seed++) {
                GrayImage base = new ScanDegradation(1, 1, EnumSet.noneOf(ScanDegradation.Phenomenon.class))
                        .render(SIGNATURE, new SplittableRandom(seed)).noisy();
                TrainingPair withIt = only.render(SIGNATURE, new SplittableRandom(seed));
                changed = !withIt.noisy().equals(base);
                assertEquals(withIt.noisy(), only.render(SIGNATURE, new SplittableRandom(seed)).noisy(), p + " is deterministic");
                if (p != ScanDegradation.Phenomenon.STROKE_WIDTH) {
                    assertEquals(SIGNATURE, withIt.clean(), p + " leaves the truth alone");
                }
            }
            assertTrue(changed, p + " changes the scan on its own");
        }
        assertTrue(plain.inkFraction() > 0, "without any phenomenon it is still the signature");
    }

    @Test
    void aWiderPenWidensTheTruthAndHardScansAreGreyNotBinary() {
        ScanDegradation pen = ScanDegradation.only(1.0, ScanDegradation.Phenomenon.STROKE_WIDTH);
        boolean widened = false;
        for (long seed = 1; seed <= 10 && !widened; seed++) {
            widened = pen.render(SIGNATURE, new SplittableRandom(seed)).clean().inkFraction() > SIGNATURE.inkFraction() * 1.2;
        }
        assertTrue(widened);
        GrayImage hard = ScanDegradation.all(0.9, 0.9).render(SIGNATURE, new SplittableRandom(4)).noisy();
        assertTrue(!Binarizer.isBinary(hard), "a scan has grey levels");
    }

    @Test
    void backgroundFlatteningTurnsAShadowIntoPaperAndKeepsInk() {
        GrayImage nearInk = ScanDegradation.dilateInk(SIGNATURE, 3); // stroke edges are grey on any scan
        GrayImage shadowed = null;
        // The first seeded scan with a deep shadow (shadows are drawn with a probability and a depth).
        for (long seed = 1; seed < 40 && shadowed == null; seed++) {
            GrayImage s = ScanDegradation.only(1.0, ScanDegradation.Phenomenon.SHADOW).render(SIGNATURE, new SplittableRandom(seed)).noisy();
            if (darkPaper(s, nearInk, 0.8f) > 1000) {
                shadowed = s;
            }
        }
        assertTrue(shadowed != null, "some seed casts a shadow");
        GrayImage flat = BackgroundFlattening.apply(shadowed);
        int paperDarkBefore = 0;
        int paperDark = 0;
        int inkLost = 0;
        for (int y = 0; y < flat.height(); y++) {
            for (int x = 0; x < flat.width(); x++) {
                boolean ink = SIGNATURE.get(x, y) < 0.5f;
                if (nearInk.get(x, y) >= 0.5f) {
                    paperDarkBefore += shadowed.get(x, y) < 0.8f ? 1 : 0;
                    paperDark += flat.get(x, y) < 0.8f ? 1 : 0;
                }
                if (ink && flat.get(x, y) > 0.6f) {
                    inkLost++;
                }
            }
        }
        assertTrue(paperDarkBefore > 1000, "the shadow darkens the paper: " + paperDarkBefore);
        assertTrue(paperDark < paperDarkBefore / 20, "paper is light after flattening: " + paperDark + " of " + paperDarkBefore);
        assertTrue(inkLost < SIGNATURE.inkFraction() * flat.width() * flat.height() / 10, "ink stays dark: " + inkLost);
    }

    private static int darkPaper(GrayImage g, GrayImage nearInk, float below) {
        int n = 0;
        for (int i = 0; i < g.pixels().length; i++) {
            n += nearInk.pixels()[i] >= 0.5f && g.pixels()[i] < below ? 1 : 0;
        }
        return n;
    }

    /** A lossy WebP (cwebp -q 70) of a rendered scan (synth --seed 5 --scan 0.3), 1.4 KB, and its size. */
    static final int WEBP_WIDTH = 120;
    static final int WEBP_HEIGHT = 125;
    static final String WEBP = "UklGRnwFAABXRUJQVlA4IHAFAADQHQCdASp4AH0APp1In0qlpCMhrJPY0LATiWlZGcuBCcBy0SW2uYW9CbjGqg5GJ5NXtPXuKx0irGcRPMG+ZmbtaV0tiQwdFwYIopy2Hh9Q5v+m9MCT06rEKLvtRenEg4uYhDKqltGng5emciKEbQr/PhjzCgJEyImPTNi2lIJpmIL0Iip1NEHIkIyxLazGkWvGtaSuxdu99V1rHYGWj5LsF8SAEArqC6LmVPrnMj/0Ehug1bHSeQMXBQnM0HFvWJQ01Cy08b6JCH6j49RoWLiMVogD8vVFn4UIxS+nJ8Y/Fd4QOwX9jVGIPMsE7W2of1b3u/iD/4/wAP73+Er/n1SDjXs4zIt/k0s2wyl2+ANe3QCiwEVYpklEFbL9FliQXYJHB1KE13Ms3AAQUProzRYukfBxhNkinMvXCmr6X98mA4vRkunDdLburilpvvr1L5VDQLSDMK0/ZI1UVLX5dJt3CYlQD1TgyCa5YTYL/Jjkvzac5dtjMdYvJ/cJRFasWRcSdTxnxWudGAJ8xHRCtXlxUZmwjG91mDCt9nN+wPtO52DEcWdI/XZ8I33Pjkl3vF2hf/32scfk42LH4mXjXf5/S+uH7L6qbDXVlYSQR53HqynM04PrE1jJI4DfrVzd/yn30MRLVTzYPK+kq4IMwfwMWV47pipqc7cyf5hWJFrQC9k3+4LETtZmFIijjLVOTCaiP2n8HmUUfFJAK/DTB05sYM6eXGLDLdQQfJpVbTl1wr8Lrin5qZ2IYLatNpvIuQm9YObf5x6b7INzU7tu+SUEaANvRivJ1px9HXaSeS4yyZWYCQJA7J0yXo3Np1xEyLjbYYKDFZYaLauH6GLjjKQ20qKo6pOb+1e34WVhgHdDQvfG9TVGbbYVqzUiI2sTMQNKlc4iUZbs47RkI1S4IcnPwV57/stfvp5DTeM8Pq5yekmPyaPL24l9ssS3pgFTYk60f9sJXVBcLpretgasxJ4Tb1arVEGTF6/DWCTTfBFbcYlpT3wYdah2oDTlLbl4i9tAOVTS6W429ezDOQQCwi/rdOPVjGEtc7NeAFq4CApR8PHYFxwJipJR0ggFue+UjHQ91CL0fM2b7BHMnvCt+aQCaRyDQ6W5IGySv+X/weKlt2ouNrx7deya97hbcXtb9Y/IMshsOZLj/4aFqVkyOQ0D/HuGWaWuTuZF998O1Lu2zR08F+XP8Wtva50A3803lljobBXtRfq2PFe2sf8GHVQT00q42aJCMB0QQw2uYoepxYy+53ySO7eyX7mFCWXvn7CFzmWb3l74Be6yxjBQ4VJJRG+8UqgDMCdLNAa/1cH5vzZF+HG0eqEhzrxEJ2MBSo30CUHSMFBdorCZFvkXgJylx0V/sZ6k/OsukQyngtvuSFtwWhFr6ld4n1GqXjI7strjF/SGkQiYGW3iVqKyj7nr7oYfxdbQAon4hAH779gD5c8gbfZlRJjke0Ej/ioAVDrEhDB+4sNsU+/NKZn9+i8v6Y8wTp7iTmUFxG4wyBU4RnnOaDe7/V3Ne/9usrgBZqHmSqS/ZJpf+Nzp96W6DyVu3aBp3z//LD6buoxgcNcLL+kUx3iG9NZm8FhwZo493tkZE0qrPTRT8/BgG092PBVi6Tgp+7nHCIEp49fX4rWtkvzcCmPSw9vkLkyTwYvDGTAzR3nDe1AMJM02C/XdY6+9Go+dp9QC0AFrSDJ9It/ce8PXujTHBwhh88CqS5hrPUFT2+iWuyjKNNIlu7FKK5E43SVGBdNhYM+yc/YTsZwiLgromsFThMdC0SDu0s1pCC7owSYo0I94RmfNAR6GaBRW+41Jwn/LWGkbi4VGZ5JBvQOsV+Ps0yFIAWyTztScAAA=";

    @Test
    void webpAndExifRotatedJpegAndPdfOpenUpright(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path webp = java.nio.file.Files.write(dir.resolve("phone.webp"), java.util.Base64.getDecoder().decode(WEBP));
        GrayImage w = ImageFiles.readGray(webp);
        assertEquals(WEBP_WIDTH, w.width());
        assertEquals(WEBP_HEIGHT, w.height());
        assertTrue(!Binarizer.isBinary(w) && w.inkFraction() > 0.02, "a grey scan with ink");

        // A JPEG stored 300x100 whose EXIF says "turn 90 degrees clockwise": viewers show it 100x300.
        java.awt.image.BufferedImage stored = new java.awt.image.BufferedImage(300, 100, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = stored.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 300, 100);
        g.setColor(java.awt.Color.BLACK);
        g.fillRect(0, 0, 40, 40); // ink in the stored top-left corner
        g.dispose();
        java.nio.file.Path jpg = dir.resolve("photo.jpg");
        java.nio.file.Files.write(jpg, withExifOrientation(stored, 6));
        GrayImage upright = ImageFiles.readGray(jpg);
        assertEquals(100, upright.width());
        assertEquals(300, upright.height());
        assertTrue(upright.get(upright.width() - 10, 10) < 0.5f, "the stored top-left corner is now top-right");
        assertTrue(upright.get(10, 10) > 0.5f);

        java.nio.file.Path pdf = dir.resolve("scan.pdf");
        try (var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var page = new org.apache.pdfbox.pdmodel.PDPage(new org.apache.pdfbox.pdmodel.common.PDRectangle(216, 108));
            doc.addPage(page);
            var image = org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(doc, SIGNATURE.toBufferedImage());
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.drawImage(image, 0, 0, 216, 108);
            }
            doc.save(pdf.toFile());
        }
        GrayImage page = ImageFiles.readGray(pdf);
        assertEquals(600, page.width()); // 3 inches at 200 dpi
        assertEquals(300, page.height());
        assertTrue(page.inkFraction() > 0.01);
    }

    /** JPEG bytes with an APP1 Exif segment holding only the orientation tag, right after SOI. */
    static byte[] withExifOrientation(java.awt.image.BufferedImage img, int orientation) throws Exception {
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpeg", jpeg);
        byte[] j = jpeg.toByteArray();
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(8 + 2 + 12 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] exif = tiff.array();
        byte[] header = {'E', 'x', 'i', 'f', 0, 0};
        int len = 2 + header.length + exif.length;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(j, 0, 2); // SOI
        out.write(new byte[]{(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len});
        out.write(header);
        out.write(exif);
        out.write(j, 2, j.length - 2);
        return out.toByteArray();
    }
}
