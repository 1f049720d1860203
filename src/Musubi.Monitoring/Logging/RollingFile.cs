using System.Globalization;
using System.Text.RegularExpressions;
using Musubi.Monitoring.Diagnostics;

namespace Musubi.Monitoring.Logging;

/// <summary>
/// The open log file and its successors: opens, rolls on size and on the UTC day, and deletes files beyond the
/// retained count. Used by the single background writer only, so it is not thread-safe.
/// </summary>
/// <remarks>
/// File names, from <c>logs/app.log</c>: with <see cref="LogRollInterval.Day"/>, <c>app.20261203.log</c> then
/// <c>app.20261203_001.log</c>, <c>app.20261203_002.log</c> …; with <see cref="LogRollInterval.None"/>,
/// <c>app.log</c> then <c>app_001.log</c> …. The I/O methods throw what the file system throws; the caller counts
/// and reports it.
/// </remarks>
internal sealed class RollingFile : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly string _directory;
    private readonly string _stem;
    private readonly string _extension;
    private readonly long? _sizeLimit;
    private readonly LogRollInterval _interval;
    private readonly int? _retainedCount;
    private readonly Regex _names;

    private FileStream? _stream;
    private long _size;
    private int _period = -1;
    private int _sequence;

    public RollingFile(string path, long? sizeLimit, LogRollInterval interval, int? retainedCount)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        _directory = System.IO.Path.GetDirectoryName(fullPath) ?? fullPath;
        _stem = System.IO.Path.GetFileNameWithoutExtension(fullPath);
        _extension = System.IO.Path.GetExtension(fullPath);
        _sizeLimit = sizeLimit;
        _interval = interval;
        _retainedCount = retainedCount;
        string date = interval == LogRollInterval.Day ? @"\.(?<date>\d{8})" : string.Empty;
        _names = new Regex(
            $"^{Regex.Escape(_stem)}{date}(?:_(?<seq>\\d{{3,9}}))?{Regex.Escape(_extension)}$",
            RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);
        CurrentPath = fullPath;
    }

    /// <summary>Gets the path of the open file, or of the file about to be opened; for diagnostics.</summary>
    public string CurrentPath { get; private set; }

    public bool IsOpen => _stream is not null;

    /// <summary>The period (UTC day number, or 0 without day rolling) a record with this timestamp belongs to.</summary>
    public int PeriodOf(DateTimeOffset timestamp) =>
        _interval == LogRollInterval.Day ? (int)(timestamp.UtcTicks / TimeSpan.TicksPerDay) : 0;

    /// <summary>
    /// Makes sure a line of <paramref name="length"/> bytes of <paramref name="period"/> can be written whole to the
    /// open file, closing the current file and opening the next when the period changed or the size limit would
    /// be passed. Returns <see langword="true"/> when it closed a file (whose lines are then safely written).
    /// </summary>
    public bool Prepare(int period, int length)
    {
        bool closed = false;
        if (_stream is not null && period != _period)
        {
            Close();
            closed = true;
        }

        if (_stream is null)
        {
            _period = period;
            _sequence = LatestSequence(period);
            Open();
        }

        while (_sizeLimit is long limit && _size > 0 && _size + length > limit)
        {
            Close();
            closed = true;
            _sequence++;
            Open();
        }

        return closed;
    }

    public void Write(ReadOnlySpan<byte> line)
    {
        _stream!.Write(line);
        _size += line.Length;
    }

    public void Flush() => _stream?.Flush();

    /// <summary>Flushes and closes the open file; throws when the flush fails (the file is closed either way).</summary>
    public void Close()
    {
        FileStream? stream = _stream;
        _stream = null;
        stream?.Dispose();
    }

    /// <summary>Closes the open file after a failure, ignoring a further one, so the next batch opens it again.</summary>
    public void Abandon()
    {
        FileStream? stream = _stream;
        _stream = null;
        try
        {
            stream?.Dispose();
        }
#pragma warning disable CA1031 // The write already failed and was counted; closing the broken stream may fail too.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public void Dispose() => Close();

    private void Open()
    {
        CurrentPath = FileName(_period, _sequence);
        Directory.CreateDirectory(_directory);
        var stream = new FileStream(CurrentPath, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            BufferSize = BufferSize,
        });
        _stream = stream;
        _size = stream.Length;
        DeleteOldFiles();
    }

    private string FileName(int period, int sequence)
    {
        string date = _interval == LogRollInterval.Day ? "." + DateOf(period) : string.Empty;
        string suffix = sequence == 0 ? string.Empty : "_" + sequence.ToString("000", CultureInfo.InvariantCulture);
        return System.IO.Path.Combine(_directory, _stem + date + suffix + _extension);
    }

    private static string DateOf(int period) =>
        new DateTime(Math.Max(period, 0) * TimeSpan.TicksPerDay, DateTimeKind.Utc).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The highest sequence number among the existing files of <paramref name="period"/>, or 0; appending resumes there.</summary>
    private int LatestSequence(int period)
    {
        string date = _interval == LogRollInterval.Day ? DateOf(period) : string.Empty;
        int latest = 0;
        foreach ((string Date, int Sequence, string Path) file in ExistingFiles())
        {
            if (file.Date == date && file.Sequence > latest)
            {
                latest = file.Sequence;
            }
        }

        return latest;
    }

    private List<(string Date, int Sequence, string Path)> ExistingFiles()
    {
        var files = new List<(string, int, string)>();
        if (!Directory.Exists(_directory))
        {
            return files;
        }

        foreach (string path in Directory.EnumerateFiles(_directory, _stem + "*" + _extension))
        {
            Match match = _names.Match(System.IO.Path.GetFileName(path));
            if (match.Success)
            {
                int sequence = match.Groups["seq"].Success ? int.Parse(match.Groups["seq"].ValueSpan, CultureInfo.InvariantCulture) : 0;
                files.Add((match.Groups["date"].Value, sequence, path));
            }
        }

        return files;
    }

    private void DeleteOldFiles()
    {
        if (_retainedCount is not int retained)
        {
            return;
        }

        List<(string Date, int Sequence, string Path)> files;
        try
        {
            files = ExistingFiles();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            MusubiMonitoringEventSource.Log.LogFileDeleteFailed(_directory, e.Message);
            return;
        }

        if (files.Count <= retained)
        {
            return;
        }

        // Newest first: by date, then by sequence number.
        files.Sort(static (a, b) =>
        {
            int byDate = string.CompareOrdinal(b.Date, a.Date);
            return byDate != 0 ? byDate : b.Sequence.CompareTo(a.Sequence);
        });
        for (int i = retained; i < files.Count; i++)
        {
            if (string.Equals(files[i].Path, CurrentPath, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                File.Delete(files[i].Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                MusubiMonitoringEventSource.Log.LogFileDeleteFailed(files[i].Path, e.Message);
            }
        }
    }
}
