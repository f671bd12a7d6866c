package org.inkwell.cli;

import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.model.KerasFiles;
import org.inkwell.model.ModelStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outputs that must never replace what is not Inkwell's: special files, inputs reached through symbolic links,
 * files of another kind; and inputs whose cost must stay bounded. The test writes its own corpus.
 */
class OutputSafetyCorpusTest {
    @TempDir
    Path dir;

    private final List<Path> mounts = new ArrayList<>();

    @BeforeAll
    static void init() {
        Dl4jRuntime.init();
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts) {
            new ProcessBuilder("umount", m.toString()).inheritIO().start().waitFor();
        }
    }

    /** A folder on a tmpfs of {@code size}, unmounted after the test; skips the test where mounting needs root. */
    private Path smallDisk(String name, String size) throws Exception {
        Path small = Files.createDirectories(dir.resolve(name));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "needs root to mount a small tmpfs");
        mounts.add(small);
        return small;
    }

    private Path tinyModel(String name) throws Exception {
        return Fixtures.tinyModel(dir.resolve(name));
    }

    private Path signaturePng(Path folder, String name) throws Exception {
        return Fixtures.signaturePng(folder, name, 0);
    }

    private static void assertFailsWith(CliTest.Run r, String... words) {
        assertNotEquals(0, r.code(), r.out() + r.err());
        for (String w : words) {
            assertTrue(r.err().contains(w), "expected '" + w + "' in: " + r.err());
        }
        assertFalse(r.err().contains("Exception"), r.err());
    }

    private static boolean isCharacterDevice(Path p) throws Exception {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                && Files.readAttributes(p, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode") instanceof Integer mode
                && (mode & 0170000) == 0020000;
    }

    private Path fifo(String name) throws Exception {
        Path f = dir.resolve(name);
        Process p = new ProcessBuilder("mkfifo", f.toString()).inheritIO().start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo not available");
        return f;
    }

    @Test
    void devNullAndFifosAreNeverReplaced() throws Exception {
        Path data = dir.resolve("one");
        signaturePng(data, "a.png");
        CliTest.Run r = CliTest.run("embed", "--data", data.toString(), "--csv", "/dev/null", "--model", tinyModel("m.zip").toString());
        assertFailsWith(r, "/dev/null", "special file");
        assertTrue(isCharacterDevice(Path.of("/dev/null")), "/dev/null must stay a character device");

        Path fifoZip = fifo("m-fifo.zip");
        Path keras = dir.resolve("seedlike.h5");
        KerasFiles.writeConvNet(keras, 32, 4, 1);
        assertFailsWith(CliTest.run("import-keras", keras.toString(), "-o", fifoZip.toString()), "special file");
        assertFailsWith(CliTest.run("import-keras", keras.toString(), "-o", fifoZip.toString(), "--overwrite"), "special file");
        assertFalse(Files.isRegularFile(fifoZip, LinkOption.NOFOLLOW_LINKS), "the FIFO stays a FIFO");

        Path fifoPng = fifo("grid.png");
        assertFailsWith(CliTest.run("synth", "--count", "1", "--grid", fifoPng.toString()), "special file");
        assertFalse(Files.isRegularFile(fifoPng, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void inputsReachedThroughSymlinkedFoldersAreNeverOverwritten() throws Exception {
        Path model = tinyModel("m.zip");
        // -o is a link to the input's folder.
        Path q1 = dir.resolve("q1");
        Path img1 = signaturePng(q1, "img.png");
        byte[] before1 = Files.readAllBytes(img1);
        Path q1link = Files.createSymbolicLink(dir.resolve("q1link"), q1);
        CliTest.Run r1 = CliTest.run("denoise", "-o", q1link.toString(), img1.toString(), "--model", model.toString());
        assertEquals(0, r1.code(), r1.err());
        assertArrayEquals(before1, Files.readAllBytes(img1));
        assertTrue(Files.exists(q1.resolve("img-1.png")), r1.out());

        // The input is given through a link to the output folder.
        Path q4 = dir.resolve("q4");
        Path img4 = signaturePng(q4, "img.png");
        byte[] before4 = Files.readAllBytes(img4);
        Path q4link = Files.createSymbolicLink(dir.resolve("q4link"), q4);
        CliTest.Run r4 = CliTest.run("denoise", "-o", q4.toString(), q4link.resolve("img.png").toString(), "--model", model.toString());
        assertEquals(0, r4.code(), r4.err());
        assertArrayEquals(before4, Files.readAllBytes(img4));
        assertTrue(Files.exists(q4.resolve("img-1.png")));

        // A symlinked input folder is walked, not reported as "0 of 0".
        CliTest.Run r5 = CliTest.run("denoise", q1link.toString(), "-o", dir.resolve("out5").toString(), "--model", model.toString());
        assertEquals(0, r5.code(), r5.err());
        assertTrue(r5.out().contains("cleaned 2 of 2"), r5.out());
    }

    @Test
    void outputsThatAreInputsOrAnotherKindAreRefused() throws Exception {
        Path keras = dir.resolve("x.hdf5");
        KerasFiles.writeConvNet(keras, 32, 4, 1);
        byte[] kerasBytes = Files.readAllBytes(keras);
        assertFailsWith(CliTest.run("import-keras", keras.toString(), "-o", keras.toString()), "is an input");
        assertArrayEquals(kerasBytes, Files.readAllBytes(keras));

        Path otherKeras = Files.copy(keras, dir.resolve("other.hdf5"));
        assertFailsWith(CliTest.run("import-keras", keras.toString(), "-o", otherKeras.toString()), "HDF5", "same kind");
        assertArrayEquals(kerasBytes, Files.readAllBytes(otherKeras));

        Path data = dir.resolve("d");
        Path png = signaturePng(data, "signature-000000.png");
        byte[] pngBytes = Files.readAllBytes(png);
        Path model = tinyModel("m.zip");
        assertFailsWith(CliTest.run("embed", "--data", data.toString(), "--csv", png.toString(), "--model", model.toString()), "is an input");
        assertArrayEquals(pngBytes, Files.readAllBytes(png));
        Path notInput = signaturePng(dir, "picture.png");
        byte[] notInputBytes = Files.readAllBytes(notInput);
        assertFailsWith(CliTest.run("embed", "--data", data.toString(), "--csv", notInput.toString(), "--model", model.toString()),
                "PNG image", "same kind");
        // Another kind of file is never replaced, not even with --overwrite.
        assertFailsWith(CliTest.run("embed", "--data", data.toString(), "--csv", notInput.toString(), "--model", model.toString(),
                "--overwrite"), "is a PNG image, not a CSV table");
        assertArrayEquals(notInputBytes, Files.readAllBytes(notInput));
        Path earlierCsv = Files.writeString(dir.resolve("earlier.csv"), "file,x\n");
        CliTest.Run forced = CliTest.run("embed", "--data", data.toString(), "--csv", earlierCsv.toString(), "--model", model.toString(),
                "--overwrite");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(Files.readString(earlierCsv).startsWith("file,") && Files.readString(earlierCsv).lines().count() > 1);

        byte[] modelBytes = Files.readAllBytes(model);
        long t0 = System.nanoTime();
        assertFailsWith(CliTest.run("train", "--init", model.toString(), "-o", model.toString(), "--arch", "unet", "--size", "32",
                "--synthetic", "4", "--steps", "1", "--epochs", "1", "--batch", "2", "--validation", "1"), "is an input");
        assertArrayEquals(modelBytes, Files.readAllBytes(model));
        assertFalse(Files.exists(dir.resolve("m-checkpoints")), "refused before any training");

        // One input image and -o naming a file: that file is the output, and it is the input: refused.
        assertFailsWith(CliTest.run("denoise", png.toString(), "-o", png.toString(), "--model", model.toString()), "is an input");
        // A folder of inputs and -o naming an existing file: -o must be a folder.
        assertFailsWith(CliTest.run("denoise", png.getParent().toString(), "-o", png.toString(), "--model", model.toString()),
                "is a file, not a folder");
    }

    @Test
    void resumeContinuesTheSavedRunOrRefusesConflictingFlags() throws Exception {
        Path data = dir.resolve("faces");
        for (int i = 0; i < 6; i++) {
            signaturePng(data, "s" + i + ".png");
        }
        Path first = dir.resolve("first.zip");
        CliTest.Run r = CliTest.run("train", "--data", data.toString(), "--arch", "unet", "--optimizer", "adam", "--size", "32",
                "--batch", "2", "--steps", "1", "--epochs", "1", "--validation", "2", "-o", first.toString(),
                "--checkpoints", dir.resolve("cps").toString());
        assertEquals(0, r.code(), r.err());
        ModelStore.StoredModel m = ModelStore.load(first, false);
        assertTrue(m.metadata().command().startsWith("inkwell train --data"), m.metadata().command());
        assertTrue(m.metadata().training().dataSource().startsWith("folder:"), m.metadata().training().dataSource());

        Path cp = dir.resolve("cps/epoch-001.zip");
        CliTest.Run conflict = CliTest.run("train", "--resume", cp.toString(), "--batch", "4", "--arch", "seed", "--epochs", "2",
                "-o", dir.resolve("second.zip").toString(), "--checkpoints", dir.resolve("cps").toString());
        assertFailsWith(conflict, "--batch", "--arch");
        assertFalse(conflict.err().contains("--epochs"), conflict.err());

        // Same values may be repeated; the folder comes back from the checkpoint without --data.
        CliTest.Run resumed = CliTest.run("train", "--resume", cp.toString(), "--batch", "2", "--epochs", "5",
                "-o", dir.resolve("second.zip").toString(), "--checkpoints", dir.resolve("cps").toString());
        assertEquals(0, resumed.code(), resumed.err());
        ModelStore.StoredModel second = ModelStore.load(dir.resolve("second.zip"), false);
        assertEquals(m.metadata().training().dataSource(), second.metadata().training().dataSource());
        assertTrue(second.metadata().data().contains(data.getFileName().toString()), second.metadata().data());
        assertTrue(Files.exists(cp), "the checkpoint resumed from survives the keep-last-3 rotation");
        assertFalse(Files.exists(dir.resolve("cps/epoch-002.zip")));
    }

    @Test
    void aTrainedModelIsWrittenEvenWhenTheCheckpointFolderIsFull() throws Exception {
        Path small = smallDisk("small", "64k");
        Path out = dir.resolve("model.zip");
        CliTest.Run r = CliTest.run("train", "--synthetic", "4", "--arch", "unet", "--optimizer", "adam", "--size", "32",
                "--batch", "2", "--steps", "1", "--epochs", "2", "--validation", "2", "-o", out.toString(),
                "--checkpoints", small.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("disk full"), r.out());
        assertFalse(r.out().contains("-> null"), r.out());
        ModelStore.StoredModel written = ModelStore.load(out, false);
        assertTrue(written.metadata().step() >= 1, "the best of the two epochs, from memory");
        assertTrue(written.metadata().metrics().containsKey("val_bce"));

        // The final write failing is an error that says where the last good copy is.
        Path fullOut = small.resolve("model.zip");
        CliTest.Run lost = CliTest.run("train", "--synthetic", "4", "--arch", "unet", "--optimizer", "adam", "--size", "32",
                "--batch", "2", "--steps", "1", "--epochs", "1", "--validation", "2", "-o", fullOut.toString(),
                "--checkpoints", dir.resolve("cps").toString());
        assertFailsWith(lost, "could not write the trained model", "disk full", "last good copy is " + dir.resolve("cps"));
    }

    @Test
    void fullOutputFolderSaysDiskFull() throws Exception {
        Path small = smallDisk("tiny-disk", "8k");
        Path in = signaturePng(dir.resolve("in"), "a.png");
        try (var filler = Files.newOutputStream(small.resolve("filler"))) {
            byte[] block = new byte[1024];
            for (int i = 0; i < 64; i++) {
                filler.write(block);
                filler.flush();
            }
        } catch (java.io.IOException full) {
            // The folder is now full.
        }
        CliTest.Run r = CliTest.run("denoise", in.toString(), "-o", small.toString(), "--model", tinyModel("m.zip").toString());
        assertFailsWith(r, "disk full");
    }

    @Test
    void stripImagesAndForgedModelsAreRefusedBeforeTheWork() throws Exception {
        // 1,000,000 x 8 pixels: a few KB on disk, thousands of tiles to clean.
        Path strip = dir.resolve("strip.png");
        Files.write(strip, BadInputCorpusTest.pngHeaderClaiming(1_000_000, 8));
        CliTest.Run r = CliTest.run("denoise", strip.toString(), "-o", dir.resolve("o").toString(), "--model", tinyModel("m.zip").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("longest side") && r.err().contains("-Dinkwell.maxSide"), r.err());
        assertFalse(Files.exists(dir.resolve("o")), "refused from its header, before the model loaded or a folder was made");

        Path forged = forgeCoefficientsHeader(tinyModel("honest.zip"), dir.resolve("forged.zip"), 1_500_000_000L);
        Path good = signaturePng(dir.resolve("good"), "a.png");
        CliTest.Run f = CliTest.run("denoise", good.toString(), "-o", dir.resolve("o2").toString(), "--model", forged.toString());
        assertFailsWith(f, "1,500,000,000");
        assertFalse(Files.exists(dir.resolve("o2")), "no output folder when the model fails to load");
    }

    @Test
    void badNumbersAreRefused() throws Exception {
        Path in = signaturePng(dir.resolve("in"), "a.png");
        assertFailsWith(CliTest.run("denoise", in.toString(), "-o", dir.resolve("o").toString(), "--crop", "--margin", "-5"), "--margin");
        assertFailsWith(CliTest.run("train", "--micro-batch", "-1", "-o", dir.resolve("m.zip").toString()), "micro-batch");
        assertFailsWith(CliTest.run("train", "--size", "100000", "-o", dir.resolve("m.zip").toString()), "2048");
        assertFalse(Files.exists(dir.resolve("m-checkpoints")));
        Path empty = Files.createDirectories(dir.resolve("nothing here"));
        CliTest.Run r = CliTest.run("denoise", empty.toString(), "-o", dir.resolve("o").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no images"), r.err());
    }

    /** The CLI as a child process without root's permission override (see {@link Fixtures#unprivileged}). */
    private String[] child(String... args) throws Exception {
        return Fixtures.unprivileged(dir, args);
    }

    @Test
    void libraryDiagnosticsAndPermissionsArePlainWords() throws Exception {
        Path badHdf5 = Files.write(dir.resolve("bad.hdf5"), Arrays.copyOf(new byte[]{(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}, 4096));
        String[] r = child("import-keras", badHdf5.toString(), "-o", dir.resolve("k.zip").toString());
        assertEquals("2", r[2], r[1]);
        assertEquals(1, r[1].lines().count(), "one line, no HDF5 error stack: " + r[1]);

        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "permission checks need setpriv as root");
        Path locked = tinyModel("locked.zip");
        Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        String[] m = child("info", "--model", locked.toString());
        assertEquals(1, m[1].lines().count(), m[1]);
        assertTrue(m[1].contains("permission denied") && !m[1].contains("damaged"), m[1]);

        Path readOnly = Files.createDirectories(dir.resolve("read-only"));
        Path in = signaturePng(dir.resolve("in"), "a.png");
        Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        String[] w = child("denoise", in.toString(), "-o", readOnly.toString(), "--model", tinyModel("ok.zip").toString());
        assertEquals("2", w[2], w[1]); // refused at once: the folder cannot even be locked for the run
        assertEquals(1, w[1].lines().count(), w[1]);
        assertTrue(w[1].contains("permission denied"), w[1]);
        String[] sub = child("denoise", in.toString(), "-o", readOnly.resolve("sub").toString(), "--model", tinyModel("ok2.zip").toString());
        assertTrue(sub[1].contains("cannot create the output folder") && sub[1].contains("permission denied"), sub[1]);
    }

    @Test
    void zipBombConfigurationIsRefusedInPlainWords() throws Exception {
        Path bomb = dir.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            out.putNextEntry(new ZipEntry("configuration.json"));
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 64; i++) {
                out.write(spaces);
            }
            out.closeEntry();
            out.putNextEntry(new ZipEntry("coefficients.bin"));
            out.write(new byte[16]);
            out.closeEntry();
        }
        CliTest.Run r = CliTest.run("info", "--model", bomb.toString());
        assertFailsWith(r, "configuration is over 8 MB");
        assertFalse(r.err().contains("IllegalArgumentException"), r.err());
    }

    /** A copy of {@code honest} whose weights header claims {@code claimed} floats (with the real data after it). */
    static Path forgeCoefficientsHeader(Path honest, Path target, long claimed) throws Exception {
        try (ZipFile in = new ZipFile(honest.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (var e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("coefficients.bin")) {
                    bytes = withDeclaredLength(bytes, claimed);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        return target;
    }

    private static byte[] withDeclaredLength(byte[] nd4j, long claimed) throws Exception {
        var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(nd4j));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeUTF(in.readUTF());
        long shapeLength = in.readLong();
        out.writeLong(shapeLength);
        String type = in.readUTF();
        out.writeUTF(type);
        byte[] shape = in.readNBytes((int) shapeLength * (type.equals("LONG") ? 8 : 4));
        out.write(shape);
        out.writeUTF(in.readUTF());
        in.readLong();
        out.writeLong(claimed);
        out.write(in.readAllBytes());
        out.flush();
        return buf.toByteArray();
    }

    @Test
    void csvCellsAreQuotedAndFormulasNeutralised() throws Exception {
        Path data = dir.resolve("names");
        signaturePng(data, "q\"uote, comma.png");
        signaturePng(data, "=HYPERLINK(x).png");
        Path csv = dir.resolve("e.csv");
        CliTest.Run r = CliTest.run("embed", "--data", data.toString(), "--csv", csv.toString(), "--model", tinyModel("m.zip").toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("'=HYPERLINK(x).png,")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("\"q\"\"uote, comma.png\",")), lines.toString());
        assertEquals(Arrays.stream(lines.get(0).split(",")).count(), lines.get(1).split(",").length);
    }
}
