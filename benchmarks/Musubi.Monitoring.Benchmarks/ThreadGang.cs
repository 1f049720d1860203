using System.Globalization;

namespace Musubi.Monitoring.Benchmarks;

/// <summary>
/// <c>threads - 1</c> workers plus the calling thread, released together by a barrier for each run and
/// joined by the same barrier at its end, so thread start-up stays out of the measurement and 2 threads means
/// exactly 2 busy threads.
/// </summary>
internal sealed class ThreadGang : IDisposable
{
    private readonly Barrier _barrier;
    private readonly Thread[] _workers;
    private readonly Action<int> _work;
    private volatile bool _stopping;

    public ThreadGang(int threads, Action<int> work)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _work = work;
        _barrier = new Barrier(threads);
        _workers = new Thread[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            int index = i + 1;
            _workers[i] = new Thread(() => Loop(index))
            {
                IsBackground = true,
                Name = "bench-worker-" + index.ToString(CultureInfo.InvariantCulture),
            };
            _workers[i].Start();
        }
    }

    /// <summary>Runs the work once on every thread (index 0 on the caller) and returns when all are done.</summary>
    public void Run()
    {
        _barrier.SignalAndWait();
        _work(0);
        _barrier.SignalAndWait();
    }

    public void Dispose()
    {
        _stopping = true;
        _barrier.SignalAndWait();
        foreach (Thread worker in _workers)
        {
            worker.Join();
        }

        _barrier.Dispose();
    }

    private void Loop(int index)
    {
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            _work(index);
            _barrier.SignalAndWait();
        }
    }
}
