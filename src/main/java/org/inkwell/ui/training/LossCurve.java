package org.inkwell.ui.training;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.inkwell.train.LossSmoother;

import java.util.ArrayList;
import java.util.List;

/**
 * The smoothed training loss as chart points, thinned so the chart stays light on a long run: beyond
 * {@value #MAX_POINTS} points neighbours are averaged and later points are averaged over twice as many steps.
 * Used on the UI thread.
 */
final class LossCurve {
    static final int MAX_POINTS = 1500;

    private final ObservableList<ChartPoint> points = FXCollections.observableArrayList();
    private LossSmoother smoother = new LossSmoother();
    private int stride = 1;
    private double strideSum;
    private int strideCount;

    ObservableList<ChartPoint> points() {
        return points;
    }

    void clear() {
        points.clear();
        smoother = new LossSmoother();
        stride = 1;
        strideSum = 0;
        strideCount = 0;
    }

    /** Adds the losses of consecutive steps, each as {step, loss}. */
    void addAll(List<double[]> steps) {
        List<ChartPoint> add = new ArrayList<>();
        for (double[] it : steps) {
            strideSum += smoother.add(it[1]);
            strideCount++;
            if (strideCount >= stride) {
                add.add(new ChartPoint(it[0], strideSum / strideCount));
                strideSum = 0;
                strideCount = 0;
            }
        }
        points.addAll(add);
        if (points.size() > MAX_POINTS) {
            List<ChartPoint> halved = new ArrayList<>();
            for (int i = 0; i + 1 < points.size(); i += 2) {
                ChartPoint a = points.get(i);
                ChartPoint b = points.get(i + 1);
                halved.add(new ChartPoint(b.x(), (a.y() + b.y()) / 2));
            }
            points.setAll(halved);
            stride *= 2;
        }
    }
}
