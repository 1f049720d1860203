namespace Musubi.Monitoring.Quality;

/// <summary>Collects one file's lines, arms and methods while reports are read or merged.</summary>
internal sealed class FileCoverageBuilder(string path)
{
    // Source lines are dense, so they are kept in an array indexed by line number with a bit per present line
    // (24 bytes a line rather than a dictionary's 40); a line number far beyond any real file goes to a dictionary.
    private const int MaxDenseLine = 1 << 20;

    private readonly Dictionary<(string Name, string Signature), MethodBuilder> _methods = [];
    private LineState[] _dense = [];
    private ulong[] _present = [];
    private int _count;
    private Dictionary<int, LineState>? _sparse;
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
        if (TryGet(line, out LineState existing))
        {
            existing.Combine(state, sumHits);
            Set(line, existing);
        }
        else
        {
            Set(line, state);
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
        TryGet(line, out LineState state);
        if (!_armIndex.TryGetValue((line, arm), out int index))
        {
            index = state.Mask is null ? 0 : state.Arms;
            _armIndex[(line, arm)] = index;
        }

        state.SetArm(index, taken);
        Set(line, state);
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

        method.Lines.AddRange(lines);
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
        var lines = new LineCoverage[_count];
        ulong[]?[]? masks = null;
        int i = 0;
        for (int word = 0; word < _present.Length; word++)
        {
            for (ulong bits = _present[word]; bits != 0; bits &= bits - 1)
            {
                int number = (word * 64) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                Add(number, _dense[number]);
            }
        }

        if (_sparse is not null)
        {
            int[] numbers = [.. _sparse.Keys];
            Array.Sort(numbers);
            foreach (int number in numbers)
            {
                Add(number, _sparse[number]);
            }
        }

        void Add(int number, in LineState state)
        {
            lines[i] = state.ToCoverage(number);
            if (state.Mask is not null && state.Arms > 0)
            {
                masks ??= new ulong[]?[lines.Length];
                masks[i] = state.Mask;
            }

            i++;
        }

        var methods = new List<MethodCoverage>(_methods.Count);
        foreach (MethodBuilder method in _methods.Values)
        {
            int[] methodLines = [.. method.Lines];
            Array.Sort(methodLines);
            methodLines = Distinct(methodLines);
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

    private static int[] Distinct(int[] sorted)
    {
        int n = 0;
        for (int k = 0; k < sorted.Length; k++)
        {
            if (n == 0 || sorted[k] != sorted[n - 1])
            {
                sorted[n++] = sorted[k];
            }
        }

        return n == sorted.Length ? sorted : sorted[..n];
    }

    private bool TryGet(int line, out LineState state)
    {
        if (line < MaxDenseLine)
        {
            if (line / 64 < _present.Length && (_present[line / 64] & (1UL << (line % 64))) != 0)
            {
                state = _dense[line];
                return true;
            }

            state = default;
            return false;
        }

        if (_sparse is not null)
        {
            return _sparse.TryGetValue(line, out state);
        }

        state = default;
        return false;
    }

    private void Set(int line, in LineState state)
    {
        if (line >= MaxDenseLine)
        {
            _sparse ??= [];
            _count += _sparse.TryAdd(line, state) ? 1 : 0;
            _sparse[line] = state;
            return;
        }

        if (line >= _dense.Length)
        {
            int size = Math.Max(64, _dense.Length);
            while (size <= line)
            {
                size *= 2;
            }

            Array.Resize(ref _dense, Math.Min(size, MaxDenseLine));
            Array.Resize(ref _present, (_dense.Length + 63) / 64);
        }

        ref ulong word = ref _present[line / 64];
        ulong bit = 1UL << (line % 64);
        if ((word & bit) == 0)
        {
            word |= bit;
            _count++;
        }

        _dense[line] = state;
    }

    private sealed class MethodBuilder(string name, string signature)
    {
        public string Name { get; } = name;

        public string Signature { get; } = signature;

        public int FirstLine { get; set; }

        public List<int> Lines { get; } = [];
    }
}
