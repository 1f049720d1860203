using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Sample;

/// <summary>The body of <c>POST /api/orders</c>.</summary>
internal sealed record NewOrder(string? Item, int Quantity);

/// <summary>An order.</summary>
internal sealed record Order(int Id, string Item, int Quantity);

/// <summary>Orders in memory, with a custom metric next to the HTTP ones.</summary>
internal sealed class OrderStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, Order> _orders = [];
    private readonly MusubiCounter _created;
    private int _nextId;

    public OrderStore(MusubiMetrics metrics)
    {
        _created = metrics.Counter("sample_orders_created", "Orders created through POST /api/orders", "item");
        foreach (string item in new[] { "tea", "rice", "miso", "nori", "yuzu" })
        {
            for (int i = 0; i < 10; i++)
            {
                Add(item, 1 + i, count: false);
            }
        }
    }

    public Order? Find(int id)
    {
        lock (_lock)
        {
            return _orders.GetValueOrDefault(id);
        }
    }

    public Order Add(string item, int quantity, bool count = true)
    {
        Order order;
        lock (_lock)
        {
            order = new Order(++_nextId, item, quantity);
            _orders.Add(order.Id, order);
        }

        if (count)
        {
            _created.Inc(1, item);
        }

        return order;
    }
}

/// <summary>
/// Deterministic misbehaviour from seeded generators, one per endpoint: for a given number of calls to an
/// endpoint, the failures and waits are the same in every run, whatever the order the calls arrive in.
/// </summary>
internal sealed class Chaos
{
    private readonly Lock _lock = new();
    private readonly Random _flaky = new(20);
    private readonly Random _slow = new(50);

    private bool _flakyDisabled;

    /// <summary>Gets whether the flaky dependency has been switched off (the incident runbook's mitigation).</summary>
    public bool FlakyDisabled
    {
        get
        {
            lock (_lock)
            {
                return _flakyDisabled;
            }
        }
    }

    /// <summary>Switches the flaky dependency off: /api/flaky stops failing.</summary>
    public void DisableFlaky()
    {
        lock (_lock)
        {
            _flakyDisabled = true;
        }
    }

    public bool NextFlakyFails()
    {
        lock (_lock)
        {
            if (_flakyDisabled)
            {
                return false;
            }

            return _flaky.NextDouble() < 0.2;
        }
    }

    public TimeSpan NextSlowWait()
    {
        lock (_lock)
        {
            return TimeSpan.FromMilliseconds(_slow.Next(50, 301));
        }
    }
}
