using System.Globalization;
using Xunit.Sdk;

namespace Musubi.Monitoring.Quality.Tests.Coverage;

[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public sealed class MemoryMeasurements;

[Collection(nameof(MemoryMeasurements))]
public sealed class LargeReportTests
{
    private const int Files = 200;
    private const int LinesPerFile = 1_000;
    private const int LinesPerMethod = 20;

    [Fact]
    public void ReadCoverage_200kLineCobertura_PeakHeapStaysWellBelowTheFileSize()
    {
        using var temp = new TempFolder();
        string path = Path.Combine(temp.Root, "coverage.cobertura.xml");
        WriteCoverletLikeReport(path);
        long fileSize = new FileInfo(path).Length;
        Assert.True(fileSize > 30_000_000, $"The report is {fileSize} bytes.");

        QualityReportReader.ReadCoverage(Fixtures.Path("coverlet.cobertura.xml")); // JIT and XmlReader statics first
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long heapBefore = LiveAfterLastGc();
        long peakHeap = heapBefore;
        using var stop = new CancellationTokenSource();

        // What survived each collection while the report is read (sampled): what the reader held.
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                long heap = LiveAfterLastGc();
                if (heap > Volatile.Read(ref peakHeap))
                {
                    Volatile.Write(ref peakHeap, heap);
                }

                Thread.Yield();
            }
        }) { IsBackground = true };
        sampler.Start();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        CoverageReport report = QualityReportReader.ReadCoverage(path);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        stop.Cancel();
        sampler.Join();
        long peak = Volatile.Read(ref peakHeap) - heapBefore;
        long retained = GC.GetTotalMemory(forceFullCollection: true) - retainedBefore;
        GC.KeepAlive(report);

        Assert.Equal(Files * LinesPerFile, report.Summary.CoverableLines);
        Assert.Equal(Files * LinesPerFile / 2, report.Summary.CoveredLines);
        Assert.Equal(Files * LinesPerFile / 10 * 2, report.Summary.BranchArms);
        Assert.Equal(Files * LinesPerFile / 10, report.Summary.CoveredBranchArms);
        Assert.Equal(Files * (LinesPerFile / LinesPerMethod), report.Summary.Methods);

        // Holding the text (File.ReadAllText: 2 bytes a character, so twice the file) or an XDocument (several times
        // the file) would show in the peak heap. The reader's peak is the model being built, well below the file.
        string figures = string.Create(CultureInfo.InvariantCulture, $"file {fileSize:N0} B, allocated {allocated:N0} B, peak heap growth {peak:N0} B, retained {retained:N0} B");
        TestContext.Current.SendDiagnosticMessage(figures);
        Assert.True(peak < fileSize / 2, "The peak heap grew by half the file or more: " + figures);
        Assert.True(retained < fileSize / 4, "Retained a quarter of the file or more: " + figures);
        Assert.True(allocated < fileSize * 4, "Allocated four times the file or more: " + figures);
    }

    /// <summary>The bytes in use after the last collection: every generation's size after it, less its free space.</summary>
    private static long LiveAfterLastGc()
    {
        GCMemoryInfo info = GC.GetGCMemoryInfo(GCKind.Any);
        long live = 0;
        foreach (GCGenerationInfo generation in info.GenerationInfo)
        {
            live += generation.SizeAfterBytes - generation.FragmentationAfterBytes;
        }

        return live;
    }

    internal static void WriteCoverletLikeReport(string path)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
        writer.Write("""<?xml version="1.0" encoding="utf-8"?>""");
        writer.Write("\n<coverage line-rate=\"0.5\" branch-rate=\"0.5\" version=\"1.9\" timestamp=\"1764842400\">\n  <sources>\n    <source>/home/runner/work/big/src/</source>\n  </sources>\n  <packages>\n    <package name=\"Big\" line-rate=\"0.5\" branch-rate=\"0.5\" complexity=\"1\">\n      <classes>\n");
        for (int f = 0; f < Files; f++)
        {
            string file = string.Create(CultureInfo.InvariantCulture, $"Big/Area{f / 20}/Generated{f}.cs");
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"        <class name=\"Big.Area{f / 20}.Generated{f}\" filename=\"{file}\" line-rate=\"0.5\" branch-rate=\"0.5\" complexity=\"{LinesPerFile / LinesPerMethod}\">\n          <methods>\n"));
            for (int m = 0; m < LinesPerFile / LinesPerMethod; m++)
            {
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"            <method name=\"Method{m}\" signature=\"(System.Int32,System.String)\" line-rate=\"0.5\" branch-rate=\"0.5\" complexity=\"1\">\n              <lines>\n"));
                for (int l = 0; l < LinesPerMethod; l++)
                {
                    WriteLine(writer, (m * LinesPerMethod) + l + 1, "                ");
                }

                writer.Write("              </lines>\n            </method>\n");
            }

            writer.Write("          </methods>\n          <lines>\n");
            for (int line = 1; line <= LinesPerFile; line++)
            {
                WriteLine(writer, line, "            ");
            }

            writer.Write("          </lines>\n        </class>\n");
        }

        writer.Write("      </classes>\n    </package>\n  </packages>\n</coverage>\n");
    }

    private static void WriteLine(StreamWriter writer, int line, string indent)
    {
        long hits = line % 2 == 0 ? 0 : line * 7L;
        if (line % 10 == 0)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{indent}<line number=\"{line}\" hits=\"{hits}\" branch=\"True\" condition-coverage=\"50% (1/2)\">\n{indent}  <conditions>\n{indent}    <condition number=\"{line * 3}\" type=\"jump\" coverage=\"50%\" />\n{indent}  </conditions>\n{indent}</line>\n"));
        }
        else
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{indent}<line number=\"{line}\" hits=\"{hits}\" branch=\"False\" />\n"));
        }
    }
}
