using System.Globalization;
using System.Xml;

namespace Musubi.Monitoring.Quality;

/// <summary>Streams an OpenCover report into a <see cref="CoverageBuilder"/>.</summary>
/// <remarks>
/// Modules and methods with a <c>skippedDueTo</c> attribute carry no data and are skipped (counted in one warning).
/// A sequence point marks its lines <c>sl</c> to <c>el</c> as coverable with its visit count <c>vc</c> (hidden
/// points on line 16707566 are ignored); a branch point is one named arm (its <c>offset</c> and <c>path</c>) of
/// line <c>sl</c>, taken when <c>vc</c> is above 0. A method's <c>&lt;Name&gt;</c>, such as
/// <c>System.Void Shop.Cart::Add(System.Int32)</c>, gives the name <c>Shop.Cart::Add</c> and the signature
/// <c>(System.Int32)</c>.
/// </remarks>
internal static class OpenCoverReader
{
    private const int HiddenLine = 0xFEEFEE;
    private const int MaxStatementLines = 10_000;

    public static void Read(XmlReader reader, string path, CoverageBuilder builder, CancellationToken cancellationToken)
    {
        reader.MoveToContent();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        int skippedModules = 0, skippedMethods = 0, unknownFiles = 0;
        long elements = 0;
        int methodDepth = -1;
        string methodName = string.Empty, methodSignature = string.Empty;
        string? methodFileRef = null;
        Dictionary<string, List<int>>? methodLines = null;

        bool positioned = false;
        while (positioned || reader.Read())
        {
            positioned = false;
            if ((++elements & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (reader.Depth == methodDepth)
                {
                    EndMethod();
                }

                continue;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "Module":
                    files.Clear();
                    if (reader.GetAttribute("skippedDueTo") is not null)
                    {
                        skippedModules++;
                        reader.Skip();
                        positioned = true;
                    }

                    break;

                case "File":
                    string? uid = reader.GetAttribute("uid");
                    string? fullPath = reader.GetAttribute("fullPath");
                    if (uid is not null && !string.IsNullOrWhiteSpace(fullPath))
                    {
                        files[uid] = fullPath;
                    }

                    break;

                case "Method":
                    if (reader.GetAttribute("skippedDueTo") is not null)
                    {
                        skippedMethods++;
                        reader.Skip();
                        positioned = true;
                    }
                    else if (!reader.IsEmptyElement)
                    {
                        methodDepth = reader.Depth;
                        methodName = string.Empty;
                        methodSignature = string.Empty;
                        methodFileRef = null;
                        methodLines = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                    }

                    break;

                case "Name" when methodDepth >= 0 && reader.Depth == methodDepth + 1:
                    (methodName, methodSignature) = SplitName(reader.ReadElementContentAsString());
                    positioned = true;
                    break;

                case "FileRef" when methodDepth >= 0:
                    methodFileRef = reader.GetAttribute("uid");
                    break;

                case "SequencePoint" when methodDepth >= 0:
                    {
                        string? fileId = reader.GetAttribute("fileid") ?? methodFileRef;
                        if (fileId is null || !files.TryGetValue(fileId, out string? file))
                        {
                            unknownFiles++;
                            break;
                        }

                        int start = Int(reader, "sl");
                        if (start <= 0 || start == HiddenLine)
                        {
                            break;
                        }

                        int end = Int(reader, "el");
                        end = end < start || end == HiddenLine || end - start > MaxStatementLines ? start : end;
                        long hits = Long(reader, "vc");
                        FileCoverageBuilder target = builder.File(file);
                        List<int> lines = Lines(fileId);
                        for (int line = start; line <= end; line++)
                        {
                            target.AddLine(line, hits, sumHits: false);
                            lines.Add(line);
                        }

                        break;
                    }

                case "BranchPoint" when methodDepth >= 0:
                    {
                        string? fileId = reader.GetAttribute("fileid") ?? methodFileRef;
                        if (fileId is null || !files.TryGetValue(fileId, out string? file))
                        {
                            unknownFiles++;
                            break;
                        }

                        int line = Int(reader, "sl");
                        if (line <= 0 || line == HiddenLine)
                        {
                            break;
                        }

                        string arm = reader.GetAttribute("offset") + ":" + reader.GetAttribute("path") + ":" + reader.GetAttribute("offsetend");
                        FileCoverageBuilder target = builder.File(file);
                        target.AddLine(line, 0, sumHits: false);
                        target.AddArm(line, arm, Long(reader, "vc") > 0);
                        break;
                    }
            }
        }

        if (skippedModules > 0 || skippedMethods > 0)
        {
            builder.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Report '{path}': {skippedModules} module(s) and {skippedMethods} method(s) were skipped by the coverage tool (skippedDueTo); they are not counted."));
        }

        if (unknownFiles > 0)
        {
            builder.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Report '{path}': {unknownFiles} point(s) name a file id that is not in their module's <Files>; skipped."));
        }

        List<int> Lines(string fileId)
        {
            if (!methodLines!.TryGetValue(fileId, out List<int>? lines))
            {
                lines = [];
                methodLines[fileId] = lines;
            }

            return lines;
        }

        void EndMethod()
        {
            foreach ((string fileId, List<int> lines) in methodLines!)
            {
                if (files.TryGetValue(fileId, out string? file) && lines.Count > 0)
                {
                    builder.File(file).AddMethod(methodName, methodSignature, lines.Min(), lines);
                }
            }

            methodDepth = -1;
            methodLines = null;
        }
    }

    internal static (string Name, string Signature) SplitName(string fullName)
    {
        string text = fullName.Trim();
        int open = text.IndexOf('(', StringComparison.Ordinal);
        string head = open >= 0 ? text[..open] : text;
        string signature = open >= 0 ? text[open..] : string.Empty;
        int separator = head.IndexOf("::", StringComparison.Ordinal);
        int space = separator > 0 ? head.LastIndexOf(' ', separator) : head.LastIndexOf(' ');
        string name = space >= 0 ? head[(space + 1)..] : head;
        return (name, signature);
    }

    private static int Int(XmlReader reader, string name) =>
        int.TryParse(reader.GetAttribute(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : 0;

    private static long Long(XmlReader reader, string name) =>
        long.TryParse(reader.GetAttribute(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? Math.Max(0, value) : 0;
}
