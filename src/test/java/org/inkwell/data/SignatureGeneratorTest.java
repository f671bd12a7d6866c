package org.inkwell.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureGeneratorTest {
    @Test
    void imageIsAPureFunctionOfSeedAndIndex() {
        SignatureGenerator a = new SignatureGenerator(42);
        SignatureGenerator b = new SignatureGenerator(42);
        // Order of generation must not matter.
        GrayImage seventh = a.generate(7);
        b.generate(3);
        assertEquals(seventh, b.generate(7));
        assertNotEquals(seventh, a.generate(8));
        assertNotEquals(seventh, new SignatureGenerator(43).generate(7));
    }

    @Test
    void signaturesAreBinaryWideAndInky() {
        SignatureGenerator gen = new SignatureGenerator(1);
        for (int i = 0; i < 24; i++) {
            GrayImage img = gen.generate(i);
            assertTrue(Binarizer.isBinary(img));
            assertTrue(img.width() > img.height(), "signatures are wider than tall: " + img);
            double ink = img.inkFraction();
            assertTrue(ink > 0.02 && ink < 0.3, "ink fraction " + ink);
        }
    }

    @Test
    void specimensOfOneWriterResembleEachOtherMoreThanOtherWriters() {
        SignatureGenerator gen = new SignatureGenerator(5, 4);
        assertEquals(gen.writerOf(0), gen.writerOf(3));
        assertNotEquals(gen.writerOf(3), gen.writerOf(4));
        int same = 0;
        int total = 0;
        for (int w = 0; w < 6; w++) {
            GrayImage anchor = small(gen.generate(w * 4L));
            double sameWriter = distance(anchor, small(gen.generate(w * 4L + 1)));
            double otherWriter = distance(anchor, small(gen.generate(((w + 1) % 6) * 4L + 1)));
            if (sameWriter < otherWriter) {
                same++;
            }
            total++;
        }
        assertTrue(same >= total - 1, same + " of " + total);
    }

    private static GrayImage small(GrayImage g) {
        return Preprocess.resizeNearest(ClassicBlur.box(g), 64, 32);
    }

    private static double distance(GrayImage a, GrayImage b) {
        double d = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            d += Math.abs(a.pixels()[i] - b.pixels()[i]);
        }
        return d;
    }

    /** A 9x9 box blur, so nearly-aligned strokes count as close. */
    static final class ClassicBlur {
        static GrayImage box(GrayImage g) {
            int r = 4;
            float[] out = new float[g.pixels().length];
            for (int y = 0; y < g.height(); y++) {
                for (int x = 0; x < g.width(); x++) {
                    float s = 0;
                    int n = 0;
                    for (int dy = -r; dy <= r; dy += 2) {
                        for (int dx = -r; dx <= r; dx += 2) {
                            int xx = x + dx;
                            int yy = y + dy;
                            if (xx >= 0 && yy >= 0 && xx < g.width() && yy < g.height()) {
                                s += g.get(xx, yy);
                                n++;
                            }
                        }
                    }
                    out[y * g.width() + x] = s / n;
                }
            }
            return new GrayImage(g.width(), g.height(), out);
        }
    }

    @Test
    void theDriftIsARotationThatNeitherScalesNorShears() {
        for (double angle : new double[]{-0.15, 0.02, 0.3}) {
            double[] m = WriterStyle.placement(2.0, 0.0, angle);
            // Without slant, the matrix is 2 x a rotation: orthogonal columns of length 2.
            org.junit.jupiter.api.Assertions.assertEquals(4.0, m[0] * m[0] + m[2] * m[2], 1e-12);
            org.junit.jupiter.api.Assertions.assertEquals(4.0, m[1] * m[1] + m[3] * m[3], 1e-12);
            org.junit.jupiter.api.Assertions.assertEquals(0.0, m[0] * m[1] + m[2] * m[3], 1e-12);
        }
    }

    /**
     * The evaluation sets, the bundled model's training data and every quality table are made by this generator:
     * a refactoring must not change a single pixel (this digest was taken before the generator was split up).
     */
    @Test
    void theGeneratedImagesAreExactlyThoseTheTablesWereMeasuredOn() throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        for (SignatureGenerator g : new SignatureGenerator[]{new SignatureGenerator(1), new SignatureGenerator(42),
                SignatureGenerator.thinStrokesAndDots(7)}) {
            for (int i = 0; i < 40; i++) {
                GrayImage im = g.generate(i);
                md.update((im.width() + "x" + im.height()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                for (float f : im.pixels()) {
                    md.update((byte) (f < 0.5f ? 0 : 1));
                }
            }
        }
        assertEquals("0e4898f382d2d45b852af3743c1f13703d605e200e455c3bfffff32f34ac7ae4",
                java.util.HexFormat.of().formatHex(md.digest()));
    }
}
