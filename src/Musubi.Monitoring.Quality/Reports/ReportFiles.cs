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

            return record.StartsWith("TN:", StringComparison.Ordinal) || record.StartsWith("SF:", StringComparison.Ordinal)
                ? QualityReportFormat.Lcov
                : QualityReportFormat.Unknown;
        }

        return QualityReportFormat.Unknown;
    }

    public static XmlReader CreateXmlReader(Stream stream) => XmlReader.Create(stream, new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    });

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
