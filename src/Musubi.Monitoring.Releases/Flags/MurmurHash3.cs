using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// MurmurHash3 x86 32-bit over UTF-8 bytes, and the normalised buckets Unleash derives from it
/// (<c>murmur3_x86_32("groupId:id", seed) % normalizer + 1</c>).
/// </summary>
internal static class MurmurHash3
{
    /// <summary>The seed Unleash uses for variant hashing.</summary>
    public const uint VariantSeed = 86028157;

    private const int StackLimit = 256;

    public static uint Hash32(ReadOnlySpan<byte> data, uint seed)
    {
        const uint c1 = 0xcc9e2d51;
        const uint c2 = 0x1b873593;
        uint h1 = seed;
        int blocks = data.Length / 4;

        // The whole blocks as little-endian words, read without a bounds check per block.
        ReadOnlySpan<uint> words = MemoryMarshal.Cast<byte, uint>(data[..(blocks * 4)]);
        foreach (uint word in words)
        {
            uint k1 = BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
            k1 *= c1;
            k1 = BitOperations.RotateLeft(k1, 15);
            k1 *= c2;
            h1 ^= k1;
            h1 = BitOperations.RotateLeft(h1, 13);
            h1 = (h1 * 5) + 0xe6546b64;
        }

        ReadOnlySpan<byte> tail = data[(blocks * 4)..];
        uint k = 0;
        switch (tail.Length)
        {
            case 3:
                k ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                k ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                k ^= tail[0];
                k *= c1;
                k = BitOperations.RotateLeft(k, 15);
                k *= c2;
                h1 ^= k;
                break;
        }

        h1 ^= (uint)data.Length;
        h1 ^= h1 >> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >> 16;
        return h1;
    }

    /// <summary>
    /// <c>murmur3("groupId:id", seed) % normalizer + 1</c> without building the joined string:
    /// <paramref name="groupPrefix"/> is the UTF-8 of <c>groupId:</c>, prepared once when the flag is compiled.
    /// </summary>
    [SkipLocalsInit] // The buffer is written before it is hashed.
    public static int Normalized(ReadOnlySpan<byte> groupPrefix, ReadOnlySpan<char> id, uint seed, int normalizer)
    {
        int asciiLength = groupPrefix.Length + id.Length;
        if (asciiLength <= StackLimit)
        {
            // Ids are nearly always ASCII: one byte per char, narrowed in one vectorised pass.
            Span<byte> buffer = stackalloc byte[StackLimit];
            groupPrefix.CopyTo(buffer);
            if (Ascii.FromUtf16(id, buffer[groupPrefix.Length..], out int narrowed) == OperationStatus.Done)
            {
                uint hash = Hash32(buffer[..(groupPrefix.Length + narrowed)], seed);
                return (int)(hash % (uint)normalizer) + 1;
            }
        }

        return NormalizedUtf8(groupPrefix, id, seed, normalizer);
    }

    /// <summary>The same bucket for a random number in place of an id (formatted as Unleash's SDKs do, in invariant digits).</summary>
    public static int Normalized(ReadOnlySpan<byte> groupPrefix, int randomId, uint seed, int normalizer)
    {
        Span<char> digits = stackalloc char[11];
        randomId.TryFormat(digits, out int length, default, System.Globalization.CultureInfo.InvariantCulture);
        return Normalized(groupPrefix, digits[..length], seed, normalizer);
    }

    private static int NormalizedUtf8(ReadOnlySpan<byte> groupPrefix, ReadOnlySpan<char> id, uint seed, int normalizer)
    {
        int max = groupPrefix.Length + Encoding.UTF8.GetMaxByteCount(id.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= StackLimit ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            groupPrefix.CopyTo(buffer);
            int written = Encoding.UTF8.GetBytes(id, buffer[groupPrefix.Length..]);
            uint hash = Hash32(buffer[..(groupPrefix.Length + written)], seed);
            return (int)(hash % (uint)normalizer) + 1;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The UTF-8 bytes of <c>groupId:</c>.</summary>
    public static byte[] Prefix(string groupId) => Encoding.UTF8.GetBytes(groupId + ":");
}
