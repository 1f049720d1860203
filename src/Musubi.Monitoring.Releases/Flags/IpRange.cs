using System.Net;
using System.Net.Sockets;

namespace Musubi.Monitoring.Releases;

/// <summary>
/// One entry of the <c>remoteAddress</c> strategy's <c>IPs</c> or of an <c>IN_CIDR</c> constraint: an address (matched as
/// text, like Unleash, or as the parsed address) or a CIDR range. Entries that are neither never match.
/// </summary>
internal sealed class IpRange
{
    private readonly string _text;
    private readonly byte[]? _network;
    private readonly int _prefixLength;
    private readonly AddressFamily _family;

    public IpRange(string text)
    {
        _text = text;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 &&
            IPAddress.TryParse(text.AsSpan(0, slash), out IPAddress? network) &&
            int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int prefix) &&
            prefix >= 0 && prefix <= (network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        {
            _network = network.GetAddressBytes();
            _prefixLength = prefix;
            _family = network.AddressFamily;
        }
        else if (slash < 0 && IPAddress.TryParse(text, out IPAddress? single))
        {
            _network = single.GetAddressBytes();
            _prefixLength = _network.Length * 8;
            _family = single.AddressFamily;
        }
    }

    public bool Matches(string address)
    {
        if (string.Equals(_text, address, StringComparison.Ordinal))
        {
            return true;
        }

        if (_network is null || !IPAddress.TryParse(address, out IPAddress? parsed) || parsed.AddressFamily != _family)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!parsed.TryWriteBytes(bytes, out int length) || length != _network.Length)
        {
            return false;
        }

        int full = _prefixLength / 8;
        if (!bytes[..full].SequenceEqual(_network.AsSpan(0, full)))
        {
            return false;
        }

        int rest = _prefixLength % 8;
        if (rest == 0)
        {
            return true;
        }

        int mask = 0xff << (8 - rest) & 0xff;
        return (bytes[full] & mask) == (_network[full] & mask);
    }
}
