using Microsoft.Extensions.Logging;

namespace Musubi.Monitoring.Costs.Tests;

/// <summary>Keeps every budget alert it is given, in order; thread-safe.</summary>
internal sealed class RecordingSink : IBudgetAlertSink
{
    public List<BudgetAlert> Alerts { get; } = [];

    public Task OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken)
    {
        lock (Alerts)
        {
            Alerts.Add(alert);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A logger (and a provider of itself, for DI) that keeps every entry with its level, event id and message; thread-safe.</summary>
internal sealed class ListLogger : ILogger, ILoggerProvider
{
    public List<(LogLevel Level, EventId Id, string Message)> Entries { get; } = [];

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries)
        {
            Entries.Add((logLevel, eventId, formatter(state, exception)));
        }
    }

    public void Dispose()
    {
    }
}
