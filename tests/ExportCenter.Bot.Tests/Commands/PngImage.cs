using System.Buffers.Binary;
using System.IO.Compression;

namespace ExportCenter.Bot.Tests.Commands;

internal readonly record struct Rgba(byte R, byte G, byte B, byte A);

/// <summary>
/// Reads back an icon of the Teams package: checks the signature, every chunk's CRC and the header, and decodes
/// 8-bit greyscale or RGB, with or without alpha, and any of PNG's row filters, as an image editor may save it.
/// (Palette images and other bit depths fail with the colour type or depth named.)
/// </summary>
internal sealed record PngImage(int Width, int Height, byte ColourType, byte[] Scanlines)
{
    private const byte Grey = 0, Rgb = 2, GreyWithAlpha = 4, RgbWithAlpha = 6;

    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static PngImage Parse(byte[] png)
    {
        Assert.Equal(Signature, png[..8]);
        var chunks = new List<(string Type, byte[] Data)>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var typeAndData = png.AsSpan(at + 4, 4 + length).ToArray();
            Assert.Equal(BitwiseCrc32(typeAndData), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)));
            chunks.Add((System.Text.Encoding.ASCII.GetString(typeAndData, 0, 4), typeAndData[4..]));
            at += 12 + length;
        }

        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        var header = chunks[0].Data;
        Assert.Equal(13, header.Length);
        Assert.True(header[8] == 8, "8 bits per channel");
        Assert.True(header[9] is Grey or Rgb or GreyWithAlpha or RgbWithAlpha, $"colour type greyscale or RGB, with or without alpha (0, 2, 4, 6), not {header[9]}");
        Assert.True(header[10..13] is [0, 0, 0], "deflate, adaptive filtering, no interlacing");

        using var compressed = new MemoryStream(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        return new PngImage(BinaryPrimitives.ReadInt32BigEndian(header), BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)), header[9], raw.ToArray());
    }

    /// <summary>Whether the image has an alpha channel (Teams' outline icon must be transparent around the shape).</summary>
    public bool HasAlpha => ColourType is GreyWithAlpha or RgbWithAlpha;

    public IEnumerable<Rgba> Pixels()
    {
        var channels = ColourType switch { Grey => 1, GreyWithAlpha => 2, Rgb => 3, _ => 4 };
        var stride = Width * channels;
        Assert.Equal(Height * (1 + stride), Scanlines.Length);
        var previous = new byte[stride];
        for (var y = 0; y < Height; y++)
        {
            var row = Unfiltered(Scanlines[y * (1 + stride)], Scanlines.AsSpan((y * (1 + stride)) + 1, stride), previous, channels);
            for (var x = 0; x < Width; x++)
            {
                var i = x * channels;
                yield return channels < 3
                    ? new Rgba(row[i], row[i], row[i], HasAlpha ? row[i + 1] : (byte)255)
                    : new Rgba(row[i], row[i + 1], row[i + 2], HasAlpha ? row[i + 3] : (byte)255);
            }

            previous = row;
        }
    }

    // PNG's five row filters: each byte is stored as the difference from a prediction made from the bytes to its
    // left (a), above (b) and above-left (c).
    private static byte[] Unfiltered(byte filter, ReadOnlySpan<byte> stored, byte[] above, int channels)
    {
        Assert.True(filter <= 4, $"row filter {filter}");
        var row = new byte[stored.Length];
        for (var i = 0; i < row.Length; i++)
        {
            int a = i >= channels ? row[i - channels] : 0, b = above[i], c = i >= channels ? above[i - channels] : 0;
            var prediction = filter switch
            {
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => 0,
            };
            row[i] = (byte)(stored[i] + prediction);
        }

        return row;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static uint BitwiseCrc32(byte[] bytes)
    {
        var crc = uint.MaxValue;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }
}
