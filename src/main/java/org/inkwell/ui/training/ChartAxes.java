package org.inkwell.ui.training;

import javafx.scene.chart.NumberAxis;
import javafx.util.StringConverter;

import java.util.List;
import java.util.Locale;

/**
 * Axes fitted to a run's own points: integer epoch ticks, at most about six readable step labels, and a value
 * range with a little margin, instead of JavaFX's auto-range (which spans 0-110 epochs before the first point).
 */
final class ChartAxes {
    private ChartAxes() {
    }

    /** Epochs 1..max(planned, last point), one tick per epoch up to 12 epochs, then whole-number steps. */
    static void epochs(NumberAxis x, List<ChartPoint> points, int plannedEpochs) {
        double last = points.isEmpty() ? 0 : points.get(points.size() - 1).x();
        int upper = (int) Math.max(Math.max(1, plannedEpochs), Math.ceil(last));
        x.setAutoRanging(false);
        x.setLowerBound(points.size() > 0 && points.get(0).x() < 1 ? 0 : 1);
        x.setUpperBound(Math.max(upper, x.getLowerBound() + 1));
        x.setTickUnit(Math.max(1, Math.ceil(upper / 12.0)));
        x.setMinorTickVisible(false);
        x.setTickLabelFormatter(INTEGER);
    }

    /** Steps from the first to the last point, with "k" labels and about six ticks. */
    static void steps(NumberAxis x, List<ChartPoint> points, long plannedSteps) {
        double lo = points.isEmpty() ? 0 : points.get(0).x();
        double hi = points.isEmpty() ? Math.max(1, plannedSteps) : Math.max(points.get(points.size() - 1).x(), lo + 1);
        double unit = niceUnit((hi - lo) / 6);
        x.setAutoRanging(false);
        x.setLowerBound(Math.floor(lo / unit) * unit);
        x.setUpperBound(Math.ceil(hi / unit) * unit);
        x.setTickUnit(unit);
        x.setMinorTickVisible(false);
        x.setTickLabelFormatter(THOUSANDS);
    }

    /**
     * The points' value range plus 5% each side, kept within {@code [floor, ceiling]}; {@code emptyLow..emptyHigh}
     * before the first point.
     */
    static void values(NumberAxis y, List<ChartPoint> points, double floor, double ceiling, double emptyLow, double emptyHigh) {
        values(y, points, floor, ceiling, emptyLow, emptyHigh, 0);
    }

    /**
     * As above, the range at least {@code minSpan} wide (F-measures that are all 0 would otherwise get an axis a
     * millionth wide, labelled "0 0 0 0 0"), with labels showing as many decimals as the tick unit needs.
     */
    static void values(NumberAxis y, List<ChartPoint> points, double floor, double ceiling, double emptyLow, double emptyHigh,
                       double minSpan) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (ChartPoint p : points) {
            if (Double.isFinite(p.y())) {
                lo = Math.min(lo, p.y());
                hi = Math.max(hi, p.y());
            }
        }
        if (lo > hi) {
            double unit = niceUnit((emptyHigh - emptyLow) / 5);
            y.setAutoRanging(false);
            y.setLowerBound(emptyLow);
            y.setUpperBound(emptyHigh);
            y.setTickUnit(unit);
            return;
        }
        double margin = Math.max((hi - lo) * 0.05, Math.abs(hi) * 0.01 + 1e-6);
        lo = Math.max(floor, lo - margin);
        hi = Math.min(ceiling, hi + margin);
        if (hi - lo < minSpan) {
            double mid = (hi + lo) / 2;
            lo = Math.max(floor, mid - minSpan / 2);
            hi = Math.min(ceiling, lo + minSpan);
            lo = Math.max(floor, hi - minSpan);
        }
        double unit = niceUnit((hi - lo) / 5);
        y.setAutoRanging(false);
        y.setLowerBound(Math.max(floor, Math.floor(lo / unit) * unit));
        y.setUpperBound(Math.min(ceiling, Math.ceil(hi / unit) * unit));
        y.setTickUnit(unit);
        y.setTickLabelFormatter(decimalsFor(unit));
    }

    /** Tick labels with the decimals a tick unit needs: 0.002 shows three, 5 none. */
    static javafx.util.StringConverter<Number> decimalsFor(double unit) {
        int decimals = (int) Math.max(0, Math.min(8, Math.ceil(-Math.log10(unit) - 1e-9)));
        String format = "%." + decimals + "f";
        return new javafx.util.StringConverter<>() {
            @Override
            public String toString(Number n) {
                return String.format(java.util.Locale.ROOT, format, n.doubleValue());
            }

            @Override
            public Number fromString(String s) {
                return Double.parseDouble(s);
            }
        };
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceUnit(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static final StringConverter<Number> INTEGER = new StringConverter<>() {
        @Override
        public String toString(Number n) {
            return Math.abs(n.doubleValue() - Math.rint(n.doubleValue())) < 1e-9 ? String.valueOf(Math.round(n.doubleValue())) : "";
        }

        @Override
        public Number fromString(String s) {
            return Double.parseDouble(s);
        }
    };

    private static final StringConverter<Number> THOUSANDS = new StringConverter<>() {
        @Override
        public String toString(Number n) {
            double v = n.doubleValue();
            if (Math.abs(v) >= 1000) {
                double k = v / 1000;
                return Math.abs(k - Math.rint(k)) < 1e-9 ? Math.round(k) + "k" : String.format(Locale.ROOT, "%.1fk", k);
            }
            return String.valueOf(Math.round(v));
        }

        @Override
        public Number fromString(String s) {
            return Double.parseDouble(s.replace("k", "")) * (s.endsWith("k") ? 1000 : 1);
        }
    };
}
