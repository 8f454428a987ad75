using System.Globalization;
using System.Security;
using System.Text;

namespace ExportCenter.Knowledge.Evaluation;

/// <summary>
/// Draws a confusion matrix as a heat map in plain SVG text: one <c>rect</c> per cell, shaded by the cell's share of
/// its row, the count written in every non-empty cell, labels on both axes. Right answers (the row's own label)
/// are blue and confusions orange, so errors stand out without reading the labels.
/// </summary>
public static class ConfusionMatrixSvg
{
    private const int Cell = 24;
    private const int Gap = 1;
    private const double CharWidth = 6.6;
    private const int TitleHeight = 48;
    private const int Pad = 16;

    /// <summary>The SVG document for <paramref name="matrix"/>, titled <paramref name="title"/>.</summary>
    public static string Render(ConfusionMatrix matrix, string title)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(title);
        var rowLabelWidth = (int)Math.Ceiling(LongestLabel(matrix.Rows) * CharWidth) + 28;
        var columnLabelHeight = (int)Math.Ceiling(LongestLabel(matrix.Columns) * CharWidth) + 28;
        var left = Pad + rowLabelWidth;
        var top = TitleHeight + columnLabelHeight;
        var width = Math.Max(left + (matrix.Columns.Count * Cell) + Pad, (int)(title.Length * CharWidth * 1.3) + (2 * Pad));
        var height = top + (matrix.Rows.Count * Cell) + Pad + 20;
        var total = matrix.Counts.Sum(r => r.Sum());
        var right = Enumerable.Range(0, matrix.Rows.Count).Sum(r => matrix.Count(matrix.Rows[r], matrix.Rows[r]));

        var b = new StringBuilder();
        Line(b, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="title desc" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="11">""");
        Line(b, $"<title id=\"title\">{Escape(title)}</title>");
        Line(b, $"<desc id=\"desc\">{Escape(Description(matrix, total, right))}</desc>");
        Line(b, $"""<text x="{Pad}" y="22" font-size="15" font-weight="bold" fill="#222">{Escape(title)}</text>""");
        Line(b, $"""<text x="{Pad}" y="38" fill="#555">{total} lines, {right} on the diagonal. Shade: share of the row (expected topic). Blue: right; orange: confused.</text>""");
        Line(b, $"""<text x="{left + (matrix.Columns.Count * Cell / 2.0):0.#}" y="{TitleHeight + 8}" text-anchor="middle" font-weight="bold" fill="#333">predicted top-1 topic</text>""");
        Line(b, $"""<text transform="translate({Pad + 4},{top + (matrix.Rows.Count * Cell / 2.0):0.#}) rotate(-90)" text-anchor="middle" font-weight="bold" fill="#333">expected topic</text>""");

        Line(b, $"<g class=\"column-labels\" fill=\"#222\">");
        for (var c = 0; c < matrix.Columns.Count; c++)
        {
            var x = left + (c * Cell) + (Cell / 2.0) + 4;
            Line(b, $"""<text transform="translate({x:0.#},{top - 6}) rotate(-90)">{Escape(matrix.Columns[c])}</text>""");
        }

        Line(b, $"</g>");
        Line(b, $"<g class=\"row-labels\" fill=\"#222\" text-anchor=\"end\">");
        for (var r = 0; r < matrix.Rows.Count; r++)
        {
            Line(b, $"""<text x="{left - 6}" y="{top + (r * Cell) + (Cell / 2.0) + 4:0.#}">{Escape(matrix.Rows[r])}</text>""");
        }

        Line(b, $"</g>");
        Line(b, $"<g class=\"cells\" text-anchor=\"middle\">");
        for (var r = 0; r < matrix.Rows.Count; r++)
        {
            var rowTotal = matrix.RowTotal(r);
            for (var c = 0; c < matrix.Columns.Count; c++)
            {
                var count = matrix.Counts[r][c];
                var share = rowTotal == 0 ? 0 : count / (double)rowTotal;
                var diagonal = matrix.Rows[r] == matrix.Columns[c];
                var x = left + (c * Cell);
                var y = top + (r * Cell);
                var tip = $"expected {matrix.Rows[r]}, predicted {matrix.Columns[c]}: {count} of {rowTotal}";
                Line(b, $"""<rect class="cell" x="{x}" y="{y}" width="{Cell - Gap}" height="{Cell - Gap}" fill="{Shade(share, diagonal, count)}"{(diagonal ? " stroke=\"#9ab\" stroke-width=\"1\"" : "")}><title>{Escape(tip)}</title></rect>""");
                if (count > 0)
                {
                    Line(b, $"""<text x="{x + ((Cell - Gap) / 2.0):0.#}" y="{y + (Cell / 2.0) + 4:0.#}" fill="{(share > 0.55 ? "#fff" : "#111")}">{count}</text>""");
                }
            }
        }

        Line(b, $"</g>");
        Line(b, $"</svg>");
        return b.ToString();
    }

    private static string Description(ConfusionMatrix matrix, int total, int right)
    {
        var confusions = new List<(string Expected, string Predicted, int Count)>();
        for (var r = 0; r < matrix.Rows.Count; r++)
        {
            for (var c = 0; c < matrix.Columns.Count; c++)
            {
                if (matrix.Rows[r] != matrix.Columns[c] && matrix.Counts[r][c] > 0)
                {
                    confusions.Add((matrix.Rows[r], matrix.Columns[c], matrix.Counts[r][c]));
                }
            }
        }

        var worst = confusions.OrderByDescending(x => x.Count).ThenBy(x => x.Expected, StringComparer.Ordinal).Take(5)
            .Select(x => $"{x.Expected} as {x.Predicted} ({x.Count})");
        var text = $"Heat map of {matrix.Rows.Count} expected topics (rows) against {matrix.Columns.Count} predicted top-1 topics (columns) over {total} lines; {right} are on the diagonal (right).";
        return confusions.Count == 0 ? text + " No confusions." : $"{text} Most frequent confusions: {string.Join(", ", worst)}.";
    }

    /// <summary>White to deep blue (right) or deep orange (confused) by the share of the row; empty cells pale grey.</summary>
    private static string Shade(double share, bool diagonal, int count)
    {
        if (count == 0)
        {
            return diagonal ? "#eef2f6" : "#f6f6f6";
        }

        // A floor of 0.15 keeps a single confusion in a big row visible.
        var t = 0.15 + (0.85 * share);
        var (r, g, b) = diagonal ? (8, 69, 148) : (217, 72, 1);
        return string.Create(CultureInfo.InvariantCulture, $"#{Mix(r, t):x2}{Mix(g, t):x2}{Mix(b, t):x2}");
    }

    private static int Mix(int channel, double t) => (int)Math.Round(255 + ((channel - 255) * t));

    private static int LongestLabel(IReadOnlyList<string> labels) => labels.Count == 0 ? 0 : labels.Max(l => l.Length);

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static void Line(StringBuilder b, FormattableString text) => b.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
