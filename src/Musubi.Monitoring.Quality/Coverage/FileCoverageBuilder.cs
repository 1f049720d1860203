namespace Musubi.Monitoring.Quality;

/// <summary>Collects one file's lines, arms and methods while reports are read or merged.</summary>
internal sealed class FileCoverageBuilder(string path)
{
    private readonly Dictionary<int, LineState> _lines = [];
    private readonly Dictionary<(string Name, string Signature), MethodBuilder> _methods = [];
    private Dictionary<(int Line, string Arm), int>? _armIndex;

    public string Path { get; } = path;

    /// <summary>Records that <paramref name="line"/> is coverable and ran <paramref name="hits"/> times.</summary>
    public void AddLine(int line, long hits, bool sumHits)
    {
        var state = new LineState { Hits = Math.Max(0, hits) };
        AddState(line, state, sumHits);
    }

    public void AddState(int line, in LineState state, bool sumHits)
    {
        if (_lines.TryGetValue(line, out LineState existing))
        {
            existing.Combine(state, sumHits);
            _lines[line] = existing;
        }
        else
        {
            _lines[line] = state;
        }
    }

    /// <summary>Records a line's branch arms by count only (Cobertura).</summary>
    public void AddBranchCounts(int line, int arms, int covered)
    {
        var state = new LineState { Arms = arms, CoveredCount = Math.Min(covered, arms) };
        AddState(line, state, sumHits: false);
    }

    /// <summary>Records one named arm of a line (lcov block/branch, OpenCover offset/path).</summary>
    public void AddArm(int line, string arm, bool taken)
    {
        _armIndex ??= [];
        _lines.TryGetValue(line, out LineState state);
        if (!_armIndex.TryGetValue((line, arm), out int index))
        {
            index = state.Mask is null ? 0 : state.Arms;
            _armIndex[(line, arm)] = index;
        }

        state.SetArm(index, taken);
        _lines[line] = state;
    }

    public void AddMethod(string name, string signature, int firstLine, IEnumerable<int> lines)
    {
        if (!_methods.TryGetValue((name, signature), out MethodBuilder? method))
        {
            method = new MethodBuilder(name, signature);
            _methods[(name, signature)] = method;
        }

        if (firstLine > 0 && (method.FirstLine == 0 || firstLine < method.FirstLine))
        {
            method.FirstLine = firstLine;
        }

        method.Lines.UnionWith(lines);
    }

    public void AddFile(FileCoverage file, bool sumHits)
    {
        for (int i = 0; i < file.LineArray.Length; i++)
        {
            LineCoverage line = file.LineArray[i];
            AddState(line.LineNumber, LineState.FromCoverage(line, file.MaskAt(i)), sumHits);
        }

        foreach (MethodCoverage method in file.Methods)
        {
            AddMethod(method.Name, method.Signature, method.FirstLine, method.Lines);
        }
    }

    public FileCoverage Build()
    {
        int[] numbers = [.. _lines.Keys];
        Array.Sort(numbers);
        var lines = new LineCoverage[numbers.Length];
        ulong[]?[]? masks = null;
        for (int i = 0; i < numbers.Length; i++)
        {
            LineState state = _lines[numbers[i]];
            lines[i] = state.ToCoverage(numbers[i]);
            if (state.Mask is not null && state.Arms > 0)
            {
                masks ??= new ulong[]?[numbers.Length];
                masks[i] = state.Mask;
            }
        }

        var methods = new List<MethodCoverage>(_methods.Count);
        foreach (MethodBuilder method in _methods.Values)
        {
            int[] methodLines = [.. method.Lines];
            Array.Sort(methodLines);
            int first = method.FirstLine != 0 ? method.FirstLine : methodLines.Length > 0 ? methodLines[0] : 0;
            methods.Add(new MethodCoverage(method.Name, method.Signature, first, methodLines));
        }

        methods.Sort(static (x, y) =>
        {
            int byLine = x.FirstLine.CompareTo(y.FirstLine);
            if (byLine != 0)
            {
                return byLine;
            }

            int byName = string.CompareOrdinal(x.Name, y.Name);
            return byName != 0 ? byName : string.CompareOrdinal(x.Signature, y.Signature);
        });
        return new FileCoverage(Path, lines, masks, [.. methods]);
    }

    private sealed class MethodBuilder(string name, string signature)
    {
        public string Name { get; } = name;

        public string Signature { get; } = signature;

        public int FirstLine { get; set; }

        public HashSet<int> Lines { get; } = [];
    }
}
