package org.tl4j.core.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.tl4j.core.compare.ComparisonRow;
import org.tl4j.core.train.EpochResult;

/** The comparison's plots, built with XChart. */
final class Charts {

    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    private Charts() {}

    /** A metric against labelled examples per class (log axis), one line per strategy. */
    static XYChart metricByBudget(
            List<ComparisonRow> rows, String metric, ToDoubleFunction<ComparisonRow> value) {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(
                                Character.toUpperCase(metric.charAt(0))
                                        + metric.substring(1)
                                        + " on the held-out test set")
                        .xAxisTitle("labelled examples per" + " class")
                        .yAxisTitle(metric)
                        .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        for (Map.Entry<String, List<ComparisonRow>> e : byStrategy(rows).entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (ComparisonRow r : e.getValue()) {
                x.add((double) r.labelsPerClass());
                y.add(value.applyAsDouble(r));
            }
            chart.addSeries(e.getKey(), x, y);
        }
        return chart;
    }

    /** A resource per strategy, bars grouped by label budget. */
    static CategoryChart resourceBars(
            List<ComparisonRow> rows,
            String title,
            String unit,
            boolean log,
            ToDoubleFunction<ComparisonRow> value) {
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle("labelled examples per class")
                        .yAxisTitle(unit)
                        .build();
        chart.getStyler().setYAxisLogarithmic(log);
        if (log) {
            // Bars start from the axis minimum, which must be positive on a log axis.
            chart.getStyler().setYAxisMin(1.0);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        List<String> budgets =
                rows.stream().map(r -> Integer.toString(r.labelsPerClass())).distinct().toList();
        for (Map.Entry<String, List<ComparisonRow>> e : byStrategy(rows).entrySet()) {
            List<Double> y = new ArrayList<>();
            for (String b : budgets) {
                y.add(
                        e.getValue().stream()
                                .filter(r -> Integer.toString(r.labelsPerClass()).equals(b))
                                .mapToDouble(value)
                                .findFirst()
                                .orElse(Double.NaN));
            }
            chart.addSeries(e.getKey(), budgets, y);
        }
        return chart;
    }

    /** Training and validation loss per epoch for every run at one budget. */
    static XYChart learningCurves(List<ComparisonRow> rows, int budget) {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title("Learning curves at " + budget + " labels per class")
                        .xAxisTitle("epoch")
                        .yAxisTitle("cross-entropy loss")
                        .build();
        // One colour per strategy, as in the other plots; validation dashed. The legend sits on
        // the right, one entry a line, so that six entries never run off the image.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        Color[] palette = chart.getStyler().getSeriesColors();
        List<String> strategies = new ArrayList<>(byStrategy(rows).keySet());
        for (ComparisonRow r : rows) {
            if (r.labelsPerClass() != budget || r.history().isEmpty()) {
                continue;
            }
            Color colour = palette[strategies.indexOf(r.strategy()) % palette.length];
            List<Double> epochs = new ArrayList<>();
            List<Double> train = new ArrayList<>();
            List<Double> validation = new ArrayList<>();
            for (EpochResult e : r.history()) {
                epochs.add((double) e.epoch());
                train.add(e.trainingLoss());
                validation.add(e.validationLoss());
            }
            XYSeries t = chart.addSeries(r.strategy() + " train", epochs, train);
            t.setLineColor(colour);
            t.setMarkerColor(colour);
            XYSeries v = chart.addSeries(r.strategy() + " validation", epochs, validation);
            v.setLineColor(colour);
            v.setMarkerColor(colour);
            v.setLineStyle(SeriesLines.DASH_DASH);
        }
        return chart;
    }

    private static Map<String, List<ComparisonRow>> byStrategy(List<ComparisonRow> rows) {
        Map<String, List<ComparisonRow>> map = new LinkedHashMap<>();
        for (String s : new LinkedHashSet<>(rows.stream().map(ComparisonRow::strategy).toList())) {
            map.put(s, rows.stream().filter(r -> r.strategy().equals(s)).toList());
        }
        return map;
    }
}
