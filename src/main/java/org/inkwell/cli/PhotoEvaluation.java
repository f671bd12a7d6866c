package org.inkwell.cli;

import org.inkwell.data.CsvText;
import org.inkwell.data.FormPhotos;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.OutputPolicy;
import org.inkwell.model.Cleaner;
import org.inkwell.model.SignatureFinder;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.awt.Rectangle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code evaluate --set photos}: the signature finder on phone photos of signed forms ({@link FormPhotos}), the
 * whole path Compare takes (the JPEG decoded from a file, cleaned at its working resolution, the finder). A photo
 * counts as found when the crop (the finder's box plus {@value #MARGIN} px) holds the whole signature and the
 * finder's box is less than 25 % larger than the signature's.
 */
final class PhotoEvaluation {
    static final int MARGIN = 8;

    private PhotoEvaluation() {
    }

    static int run(Cleaner cleaner, int count, int width, int height, long seed, Path csv, OutputPolicy policy)
            throws Exception {
        IntColumn photo = IntColumn.create("photo");
        DoubleColumn share = DoubleColumn.create("signature_width_pct");
        DoubleColumn tilt = DoubleColumn.create("tilt");
        DoubleColumn tiltFound = DoubleColumn.create("tilt_found");
        BooleanColumn contains = BooleanColumn.create("crop_holds_signature");
        DoubleColumn extra = DoubleColumn.create("extra_area_pct");
        DoubleColumn ms = DoubleColumn.create("ms");
        int good = 0;
        Path dir = Files.createTempDirectory("inkwell-photos");
        try {
            for (int i = 0; i < count; i++) {
                FormPhotos.Photo p = FormPhotos.render(seed, i, count, width, height);
                Path file = dir.resolve("photo.jpg");
                Files.write(file, p.jpeg());
                long t0 = System.nanoTime();
                GrayImage scan = ImageFiles.readGray(file);
                SignatureFinder.Result r = SignatureFinder.find(cleaner.reconstruct(scan), scan, 0.5);
                double took = (System.nanoTime() - t0) / 1e6;
                Rectangle truth = p.signature();
                boolean holds = r.withMargin(MARGIN, width, height).contains(truth);
                double more = 100.0 * ((double) r.box().width * r.box().height / ((double) truth.width * truth.height) - 1);
                good += holds && more < 25 ? 1 : 0;
                photo.append(i);
                share.append(Math.round(1000 * p.signatureWidthFraction()) / 10.0);
                tilt.append(Math.round(100 * p.tiltDegrees()) / 100.0);
                tiltFound.append(r.tilt());
                contains.append(holds);
                extra.append(Math.round(10 * more) / 10.0);
                ms.append(Math.round(took));
            }
        } finally {
            try (var left = Files.list(dir)) {
                for (Path f : left.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        Table table = Table.create("photos", photo, share, tilt, tiltFound, contains, extra, ms);
        System.out.println(table.printAll());
        System.out.printf("signature found in %d of %d photos (%dx%d): the crop (box + %d px) holds the whole signature"
                + " and the box is less than 25%% larger than it; median %.0f ms per photo%n",
                good, count, width, height, MARGIN, ms.median());
        if (csv != null) {
            String text = CsvText.of(table);
            policy.write(csv, OutputPolicy.Kind.CSV, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
            System.out.println("wrote " + csv);
        }
        return 0;
    }
}
