namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// Which weight row a feature has, for the features a classifier was trained on: an open-addressing table whose
/// feature and row sit side by side, so that a lookup reads one cache line where a dictionary reads its bucket and
/// then its entry. A prediction looks up every feature of the message in it.
/// </summary>
internal sealed class FeatureRows
{
    private const int Empty = -1;

    // Pairs (feature, row); a free slot has the feature Empty (features are never negative).
    private readonly int[] _slots;
    private readonly int _mask;

    private FeatureRows(int[] featureOfRow)
    {
        FeatureOfRow = featureOfRow;
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, featureOfRow.Length * 2));
        _mask = size - 1;
        _slots = new int[size * 2];
        Array.Fill(_slots, Empty);
    }

    /// <summary>The feature of each row, by row.</summary>
    public int[] FeatureOfRow { get; }

    public int Count => FeatureOfRow.Length;

    /// <summary>The table for rows 0..n-1 of <paramref name="featureOfRow"/>; null when a feature is negative or has two rows.</summary>
    public static FeatureRows? TryCreate(int[] featureOfRow)
    {
        ArgumentNullException.ThrowIfNull(featureOfRow);
        var rows = new FeatureRows(featureOfRow);
        for (var row = 0; row < featureOfRow.Length; row++)
        {
            if (featureOfRow[row] < 0 || !rows.TryAdd(featureOfRow[row], row))
            {
                return null;
            }
        }

        return rows;
    }

    public bool TryGetRow(int feature, out int row)
    {
        if (feature < 0)
        {
            row = -1;
            return false;
        }

        for (var slot = Slot(feature); ; slot = (slot + 1) & _mask)
        {
            var found = _slots[2 * slot];
            if (found == feature)
            {
                row = _slots[(2 * slot) + 1];
                return true;
            }

            if (found == Empty)
            {
                row = -1;
                return false;
            }
        }
    }

    private bool TryAdd(int feature, int row)
    {
        for (var slot = Slot(feature); ; slot = (slot + 1) & _mask)
        {
            var found = _slots[2 * slot];
            if (found == feature)
            {
                return false;
            }

            if (found == Empty)
            {
                _slots[2 * slot] = feature;
                _slots[(2 * slot) + 1] = row;
                return true;
            }
        }
    }

    // Fibonacci hashing spreads features that share low bits.
    private int Slot(int feature) => (int)(((uint)feature * 2654435769u) >> 8) & _mask;
}
