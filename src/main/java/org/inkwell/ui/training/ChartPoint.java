package org.inkwell.ui.training;

/** One point of a training curve (x = step or epoch). */
public record ChartPoint(double x, double y) {
}
