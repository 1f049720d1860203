using System.Text;
using System.Xml;

namespace Musubi.Monitoring.Quality;

/// <summary>Opens report files, recognises their format from the first bytes and maps failures to <see cref="QualityReportException"/>.</summary>
internal static class ReportFiles
{
    private const int SniffBytes = 4096;

    public static FileStream Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            throw new QualityReportException(path, QualityReportErrorKind.IsDirectory, "is a directory, not a report file.");
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 65536, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new QualityReportException(path, QualityReportErrorKind.NotFound, "does not exist.", innerException: ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new QualityReportException(path, QualityReportErrorKind.Unreadable, $"cannot be opened: {ex.Message}", innerException: ex);
        }
    }

    public static QualityReportFormat Detect(string path)
    {
        using FileStream stream = Open(path);
        return Detect(stream, path);
    }

    /// <summary>Recognises the format from the start of <paramref name="stream"/> and rewinds it.</summary>
    public static QualityReportFormat Detect(FileStream stream, string path)
    {
        byte[] buffer = new byte[SniffBytes];
        int read = ReadPrefix(stream, buffer, path);
        stream.Position = 0;
        ReadOnlySpan<byte> bytes = buffer.AsSpan(0, read);
        string text;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            Encoding utf16 = bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            text = utf16.GetString(bytes[2..(2 + ((read - 2) & ~1))]);
        }
        else
        {
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }

            if (bytes.IndexOf((byte)0) >= 0)
            {
                throw new QualityReportException(path, QualityReportErrorKind.Binary, "is a binary file, not a coverage or test report (it has NUL bytes).");
            }

            try
            {
                Decoder decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
                char[] chars = new char[bytes.Length];
                int count = decoder.GetChars(bytes, chars, flush: false);
                text = new string(chars, 0, count);
            }
            catch (DecoderFallbackException ex)
            {
                // An XML report may declare another encoding (encoding="ISO-8859-1"); the XML reader decodes it.
                if (DeclaredEncoding(bytes) is { } declared && !declared.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
                {
                    return DetectXml(stream, path);
                }

                throw new QualityReportException(path, QualityReportErrorKind.Binary, "is a binary file, not a coverage or test report (it is not UTF-8 text).", innerException: ex);
            }
        }

        string trimmed = text.TrimStart();
        if (trimmed.Length == 0)
        {
            if (read < SniffBytes)
            {
                throw new QualityReportException(path, QualityReportErrorKind.Empty, "is empty.");
            }

            throw new QualityReportException(path, QualityReportErrorKind.UnknownFormat, "starts with more than 4 KB of white space; it is not a report.");
        }

        if (trimmed[0] == '<')
        {
            return DetectXml(stream, path);
        }

        foreach (string line in trimmed.Split('\n'))
        {
            string record = line.Trim();
            if (record.Length == 0)
            {
                continue;
            }

            return record.StartsWith("TN:", StringComparison.Ordinal) || record.StartsWith("SF:", StringComparison.Ordinal) || record.StartsWith("VER:", StringComparison.Ordinal)
                ? QualityReportFormat.Lcov
                : QualityReportFormat.Unknown;
        }

        return QualityReportFormat.Unknown;
    }

    /// <summary>Creates the XML reader of a report, positioned at the start of <paramref name="stream"/>.</summary>
    /// <remarks>
    /// The reader decodes what the declaration names. Windows code pages (<c>encoding="windows-1252"</c>), which .NET
    /// knows only through <see cref="CodePagesEncodingProvider"/>, are decoded here without registering the provider
    /// for the whole process.
    /// </remarks>
    public static XmlReader CreateXmlReader(Stream stream)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        if (stream.CanSeek && CodePageEncoding(stream) is { } encoding)
        {
            return XmlReader.Create(new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 65536, leaveOpen: true), settings);
        }

        return XmlReader.Create(stream, settings);
    }

    /// <summary>The encoding named by an XML declaration at the start of <paramref name="bytes"/> (ASCII-compatible text), if any.</summary>
    internal static string? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        int start = 0;
        while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        ReadOnlySpan<byte> rest = bytes[start..];
        if (!rest.StartsWith("<?xml"u8))
        {
            return null;
        }

        int end = rest.IndexOf("?>"u8);
        string declaration = Encoding.ASCII.GetString(end > 0 ? rest[..end] : rest);
        int at = declaration.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        int quote = declaration.IndexOfAny(['"', '\''], at);
        if (quote < 0)
        {
            return null;
        }

        int close = declaration.IndexOf(declaration[quote], quote + 1);
        return close > quote ? declaration[(quote + 1)..close].Trim() : null;
    }

    /// <summary>The encoding of a report that declares a code page the runtime does not know without <see cref="CodePagesEncodingProvider"/>; <see langword="null"/> for any other report.</summary>
    private static Encoding? CodePageEncoding(Stream stream)
    {
        long position = stream.Position;
        byte[] buffer = new byte[256];
        int read = 0, n;
        while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0)
        {
            read += n;
        }

        stream.Position = position;
        if (DeclaredEncoding(buffer.AsSpan(0, read)) is not { Length: > 0 } name)
        {
            return null;
        }

        try
        {
            _ = Encoding.GetEncoding(name);
            return null; // the XML reader knows it
        }
        catch (ArgumentException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(name);
        }
    }

    public static QualityReportException Malformed(string path, XmlException ex) => new(
        path,
        QualityReportErrorKind.Malformed,
        $"is not well-formed XML (truncated or corrupt): {ex.Message}",
        ex.LineNumber > 0 ? ex.LineNumber : null,
        ex.LinePosition > 0 ? ex.LinePosition : null,
        ex);

    public static QualityReportException Malformed(string path, XmlReader reader, string problem)
    {
        var info = reader as IXmlLineInfo;
        return new(path, QualityReportErrorKind.Malformed, problem, info?.HasLineInfo() == true ? info.LineNumber : null, info?.HasLineInfo() == true ? info.LinePosition : null);
    }

    public static QualityReportException Unreadable(string path, IOException ex) =>
        new(path, QualityReportErrorKind.Unreadable, $"could not be read: {ex.Message}", innerException: ex);

    public static string Where(string path, XmlReader reader) =>
        reader is IXmlLineInfo info && info.HasLineInfo()
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{path}' line {info.LineNumber}")
            : $"'{path}'";

    private static QualityReportFormat DetectXml(FileStream stream, string path)
    {
        try
        {
            using XmlReader reader = CreateXmlReader(stream);
            reader.MoveToContent();
            QualityReportFormat format = reader.NodeType != XmlNodeType.Element ? QualityReportFormat.Unknown : reader.LocalName switch
            {
                "coverage" => QualityReportFormat.Cobertura,
                "CoverageSession" => QualityReportFormat.OpenCover,
                "TestRun" => QualityReportFormat.Trx,
                _ => QualityReportFormat.Unknown,
            };
            return format;
        }
        catch (XmlException ex)
        {
            throw Malformed(path, ex);
        }
        finally
        {
            stream.Position = 0;
        }
    }

    private static int ReadPrefix(FileStream stream, byte[] buffer, string path)
    {
        try
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int n = stream.Read(buffer, total, buffer.Length - total);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return total;
        }
        catch (IOException ex)
        {
            throw Unreadable(path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new QualityReportException(path, QualityReportErrorKind.Unreadable, $"could not be read: {ex.Message}", innerException: ex);
        }
    }
}
