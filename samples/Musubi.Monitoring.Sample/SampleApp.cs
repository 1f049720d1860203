using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Musubi.Monitoring.Metrics;

namespace Musubi.Monitoring.Sample;

/// <summary>The sample host: a small orders API with Musubi's request metrics and scrape endpoint.</summary>
internal static class SampleApp
{
    public const string ServeSwitch = "--serve";

    /// <summary>Where serve mode listens when neither --urls nor ASPNETCORE_URLS says.</summary>
    public const string DefaultServeUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the host. <paramref name="quiet"/> keeps the demo's console for its summary.</summary>
    public static WebApplication Build(string[] args, string defaultUrl, bool quiet)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

        // What the ASP.NET Core templates' appsettings.json says: no line per request.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (quiet)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);

            // /api/flaky fails on purpose; the summary counts those failures instead of printing each one.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.None);
        }

        builder.Services.AddProblemDetails();
        builder.Services.AddMusubiMonitoring(o =>
        {
            o.ServiceName = "musubi-sample";
            o.ServiceVersion = typeof(SampleApp).Assembly.GetName().Version?.ToString(3);
            o.Environment = builder.Environment.EnvironmentName;
        });
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton<Chaos>();

        WebApplication app = builder.Build();
        if (string.IsNullOrEmpty(app.Configuration["urls"]))
        {
            app.Urls.Add(defaultUrl);
        }

        // Unhandled exceptions become a problem+json 500. The request metrics middleware sits inside it, so a
        // failed request is counted once, as 500, under the route it was made to.
        app.UseExceptionHandler();
        app.UseMusubiRequestMetrics();

        app.MapMusubiMetrics();
        app.MapGet("/", () => "Musubi.Monitoring sample: GET /api/orders/{id}, POST /api/orders, GET /api/flaky, GET /api/slow, GET /metrics\n");
        app.MapGet("/api/orders/{id:int}", (int id, OrderStore orders) =>
            orders.Find(id) is { } order ? Results.Ok(order) : Results.NotFound());
        app.MapPost("/api/orders", (NewOrder request, OrderStore orders) =>
        {
            if (string.IsNullOrWhiteSpace(request.Item) || request.Quantity is < 1 or > 100)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["order"] = ["Give an item and a quantity from 1 to 100."],
                });
            }

            Order order = orders.Add(request.Item, request.Quantity);
            return Results.Created($"/api/orders/{order.Id}", order);
        });
        app.MapGet("/api/flaky", (Chaos chaos) => chaos.NextFlakyFails()
            ? throw new InvalidOperationException("The flaky dependency failed (deliberately, about one call in five).")
            : Results.Ok(new { ok = true }));
        app.MapGet("/api/slow", async (int? ms, Chaos chaos, TimeProvider time, CancellationToken cancellationToken) =>
        {
            // ?ms= fixes the wait (0 to 5000) for tests that need a known latency band; otherwise 50-300 ms.
            TimeSpan wait = ms is { } fixedMs ? TimeSpan.FromMilliseconds(Math.Clamp(fixedMs, 0, 5000)) : chaos.NextSlowWait();
            await Task.Delay(wait, time, cancellationToken);
            return Results.Ok(new { waitedMs = (int)wait.TotalMilliseconds });
        });
        return app;
    }

    /// <summary>Serve mode: run until stopped.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        await using WebApplication app = Build(args, DefaultServeUrl, quiet: false);
        await app.StartAsync();
        Console.WriteLine("Listening on " + string.Join(", ", Addresses(app)));
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>The addresses Kestrel bound (with the real port when asked for port 0).</summary>
    public static ICollection<string> Addresses(WebApplication app)
        => app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
}

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

    public bool NextFlakyFails()
    {
        lock (_lock)
        {
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
