package org.inkwell.data;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.PDContentStream;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scanned PDF's first page as an image (Apache PDFBox), within the same size budgets as any image, and within a
 * time budget: a 2.7 KB PDF of nine levels of forms, each drawing the next ten times, asks for billions of drawing
 * operations (hours), and a 1 KB PDF can hold a 20000x20000 image (gigabytes). Before rendering, the page's drawing
 * operations are counted through its nested forms (each form counted once, memoised) and every image's declared size
 * is checked; while rendering, every operation checks a deadline and every image its size before it is decoded.
 */
final class PdfPages {
    /**
     * Drawing operations one page may ask for, nested forms multiplied out: 1,000,000. A scanned page has a handful, a
     * vector signature a few thousand, a detailed drawing a few hundred thousand; rendering takes about 10-20 us each.
     */
    static final long MAX_OPERATORS = Long.getLong("inkwell.maxPdfOperators", 1_000_000L);

    private PdfPages() {
    }

    static BufferedImage firstPage(Path file, int dpi, boolean render) throws ImageLoadException {
        return firstPage(file, dpi, render, ImageFiles.DECODE_SECONDS * 1000);
    }

    /** As above, the rendering stopped after {@code millis}. */
    static BufferedImage firstPage(Path file, int dpi, boolean render, long millis) throws ImageLoadException {
        return page(file, 1, dpi, render, millis, ImageType.GRAY);
    }

    /**
     * Page {@code number} (from 1) at {@code dpi} in {@code type}, within the same budgets as the first page: the
     * signing view shows a document's pages in colour.
     */
    static BufferedImage page(Path file, int number, int dpi, boolean render, long millis, ImageType type) throws ImageLoadException {
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            if (doc.getNumberOfPages() == 0) {
                throw new ImageLoadException(file + ": the PDF has no pages");
            }
            if (number < 1 || number > doc.getNumberOfPages()) {
                throw new ImageLoadException(file + ": the PDF has " + doc.getNumberOfPages() + " page(s); there is no page " + number);
            }
            String which = number == 1 ? "first page" : "page " + number;
            PDPage page = doc.getPage(number - 1);
            PDRectangle box = page.getCropBox();
            long w = Math.round(box.getWidth() / 72.0 * dpi);
            long h = Math.round(box.getHeight() / 72.0 * dpi);
            if (w <= 0 || h <= 0) {
                throw new ImageLoadException(file + ": the PDF's " + which + " has no area");
            }
            ImageFiles.checkBudget(file.toString(), w, h, type == ImageType.GRAY ? 8 : 32);
            long operators = new OperatorCount(file.toString()).page(page);
            if (operators > MAX_OPERATORS) {
                throw new ImageLoadException(String.format(Locale.ROOT, "%s: refused, the PDF's %s asks for %s "
                        + "drawing operations (forms drawing forms), more than the %,d Inkwell renders (raise "
                        + "-Dinkwell.maxPdfOperators if it is real)", file, which,
                        operators == Long.MAX_VALUE ? "endless" : String.format(Locale.ROOT, "%,d", operators), MAX_OPERATORS));
            }
            if (!render) {
                return null;
            }
            Budget budget = new Budget(file.toString(), which, System.nanoTime() + millis * 1_000_000L, millis);
            try {
                BufferedImage image = new BudgetedRenderer(doc, budget).renderImageWithDPI(number - 1, dpi, type);
                budget.rethrow();
                return image;
            } catch (IOException | RuntimeException e) {
                budget.rethrow(); // PDFBox may have wrapped or swallowed the budget's own failure
                throw e;
            }
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageLoadException(file + ": unreadable PDF (" + IoMessages.plain(e) + ")", e);
        } catch (StackOverflowError e) {
            throw new ImageLoadException(file + ": refused, the PDF nests too deeply to render", e);
        }
    }

    /** The render's deadline and the first budget it broke; once broken, every further operation stops at once. */
    private static final class Budget {
        private final String name;
        private final String which;
        private final long deadline;
        private final long millis;
        private volatile ImageLoadException broken;

        Budget(String name, String which, long deadline, long millis) {
            this.name = name;
            this.which = which;
            this.deadline = deadline;
            this.millis = millis;
        }

        void tick() {
            if (broken == null && System.nanoTime() - deadline > 0) {
                broken = new ImageLoadException(String.format(Locale.ROOT, "%s: refused, rendering the PDF's %s "
                        + "took longer than %s s, the limit for one page (raise -Dinkwell.decodeSeconds if it is real)",
                        name, which, millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0)));
            }
            if (broken != null) {
                throw new Stop();
            }
        }

        void image(PDImage image) {
            try {
                ImageFiles.checkBudget(name + " (an image in the PDF)", image.getWidth(), image.getHeight(),
                        32); // PDFBox decodes to RGB
            } catch (ImageLoadException e) {
                broken = e;
                throw new Stop();
            }
        }

        void rethrow() throws ImageLoadException {
            if (broken != null) {
                throw broken;
            }
        }
    }

    /** Unwinds PDFBox's rendering without passing through its handlers for damaged content (they log and go on). */
    private static final class Stop extends RuntimeException {
        Stop() {
            super("the PDF is over its budget", null, false, false);
        }
    }

    private static final class BudgetedRenderer extends PDFRenderer {
        private final Budget budget;

        BudgetedRenderer(PDDocument doc, Budget budget) {
            super(doc);
            this.budget = budget;
            // An image with more pixels than the page shows is decoded at the page's resolution, not its own.
            setSubsamplingAllowed(true);
        }

        @Override
        protected PageDrawer createPageDrawer(PageDrawerParameters parameters) throws IOException {
            return new BudgetedDrawer(parameters, budget);
        }
    }

    private static final class BudgetedDrawer extends PageDrawer {
        private final Budget budget;

        BudgetedDrawer(PageDrawerParameters parameters, Budget budget) throws IOException {
            super(parameters);
            this.budget = budget;
        }

        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
            budget.tick();
            super.processOperator(operator, operands);
        }

        @Override
        public void drawImage(PDImage image) throws IOException {
            budget.tick();
            budget.image(image); // before PDFBox decodes it
            if (image instanceof PDImageXObject x) {
                if (x.getSoftMask() != null) {
                    budget.image(x.getSoftMask());
                }
                if (x.getMask() != null) {
                    budget.image(x.getMask());
                }
            }
            super.drawImage(image);
        }

        @Override
        public void showForm(PDFormXObject form) throws IOException {
            budget.tick();
            super.showForm(form);
        }
    }

    /**
     * Drawing operations a content stream runs, each form's count (its own operations plus its forms') memoised by
     * its stream so that nine levels of ten cost nine parses, not a billion. Image XObjects and inline images have
     * their declared sizes checked on the way. A form that draws itself counts as endless.
     */
    private static final class OperatorCount {
        private final String name;
        private final Map<COSStream, Long> done = new IdentityHashMap<>();
        private final Map<COSStream, Boolean> running = new IdentityHashMap<>();

        OperatorCount(String name) {
            this.name = name;
        }

        /** The page's content and its annotations' appearances (PDFBox renders both). */
        long page(PDPage page) throws IOException {
            long n = count(page, page.getResources());
            for (var annotation : page.getAnnotations()) {
                var appearance = annotation.getNormalAppearanceStream();
                if (appearance != null) {
                    n = add(n, form(appearance.getCOSObject(), page.getResources()));
                }
            }
            return n;
        }

        private long count(PDContentStream content, PDResources resources) throws IOException {
            long n = 0;
            List<COSBase> operands = new ArrayList<>();
            PDFStreamParser parser = new PDFStreamParser(content);
            Object token;
            while ((token = parser.parseNextToken()) != null) {
                if (!(token instanceof Operator op)) {
                    if (token instanceof COSBase b) {
                        operands.add(b);
                    }
                    continue;
                }
                n = add(n, 1);
                if (op.getName().equals("BI") && op.getImageParameters() != null) {
                    COSDictionary p = op.getImageParameters();
                    checkImage(p.getInt(COSName.W, p.getInt(COSName.WIDTH, 0)), p.getInt(COSName.H, p.getInt(COSName.HEIGHT, 0)));
                } else if (op.getName().equals("Do") && !operands.isEmpty()
                        && operands.get(operands.size() - 1) instanceof COSName xname && resources != null) {
                    n = add(n, xobject(resources, xname));
                }
                operands.clear();
                if (n == Long.MAX_VALUE) {
                    return n;
                }
            }
            return n;
        }

        private long xobject(PDResources resources, COSName xname) throws IOException {
            COSDictionary xobjects = resources.getCOSObject().getCOSDictionary(COSName.XOBJECT);
            COSStream stream = xobjects == null ? null : xobjects.getCOSStream(xname);
            if (stream == null) {
                return 0;
            }
            if (COSName.IMAGE.equals(stream.getCOSName(COSName.SUBTYPE))) {
                checkImage(stream.getInt(COSName.WIDTH, 0), stream.getInt(COSName.HEIGHT, 0));
                return 1;
            }
            if (!COSName.FORM.equals(stream.getCOSName(COSName.SUBTYPE))) {
                return 0;
            }
            return form(stream, resources);
        }

        private long form(COSStream stream, PDResources resources) throws IOException {
            Long known = done.get(stream);
            if (known != null) {
                return known;
            }
            if (running.put(stream, Boolean.TRUE) != null) {
                return Long.MAX_VALUE; // a form that draws itself
            }
            PDFormXObject form = new PDFormXObject(stream);
            PDResources own = form.getResources();
            long n = count(form, own != null ? own : resources);
            running.remove(stream);
            done.put(stream, n);
            return n;
        }

        private void checkImage(long w, long h) throws ImageLoadException {
            if (w > 0 && h > 0) {
                ImageFiles.checkBudget(name + " (an image in the PDF)", w, h, 32);
            }
        }

        private static long add(long a, long b) {
            return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
        }
    }
}
