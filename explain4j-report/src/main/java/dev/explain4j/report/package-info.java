/**
 * Pictures and the HTML report, fed only by {@link dev.explain4j.core.Attributions} plus what the caller says about
 * the model and its inputs ({@link dev.explain4j.report.ModelSummary}, {@link dev.explain4j.report.Sample}).
 *
 * <p>Heatmaps for image inputs are normalised the way Captum's image visualiser does it
 * ({@link dev.explain4j.report.Normalization}); tabular inputs get a horizontal bar chart of the top-k signed
 * attributions ({@link dev.explain4j.report.BarChart}); {@link dev.explain4j.report.HtmlReport} assembles one
 * self-contained HTML file with every picture inlined and every user-derived string escaped.
 */
package dev.explain4j.report;
