using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Watch;

/// <summary>
/// Streams a watch over HTTP: one JSON line per event, chunked. Flushes whenever the queue runs dry, so an idle
/// watch sees every event at once while a busy one batches writes.
/// </summary>
internal static class WatchStreamWriter
{
    /// <summary>Starts the response and pushes its headers onto the wire (StartAsync alone leaves them buffered).</summary>
    public static async Task BeginAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        await response.StartAsync(cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public static async Task WriteErrorAsync(HttpResponse response, ApiException error, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(error.ToStatus(), SimulatorJson.Compact);
        await response.Body.WriteAsync(WatchEvent.BuildLine(WatchEventType.Error, json), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public static async Task RunAsync(HttpContext context, WatchSubscription subscription, TimeProvider time, TimeSpan bookmarkInterval,
        Func<WatchDelivery, byte[]>? render)
    {
        var response = context.Response;
        using var timeout = subscription.Options.Timeout is { } limit
            ? new CancellationTokenSource(limit, time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted);
        var token = linked.Token;
        using var timer = subscription.Options.AllowBookmarks
            ? time.CreateTimer(_ => subscription.RequestBookmark(), null, bookmarkInterval, bookmarkInterval)
            : null;
        try
        {
            await BeginAsync(response, token);
            var writer = response.BodyWriter;
            foreach (var delivery in subscription.Initial)
            {
                writer.Write(Line(delivery, render));
            }

            if (subscription.Options is { SendInitialEvents: true, AllowBookmarks: true })
            {
                subscription.RequestBookmark(initialEventsEnd: true);
            }

            await writer.FlushAsync(token);
            var reader = subscription.Watcher.Reader;
            while (await reader.WaitToReadAsync(token))
            {
                while (reader.TryRead(out var delivery))
                {
                    writer.Write(Line(delivery, render));
                }

                await writer.FlushAsync(token);
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout or client gone: the stream just ends, as a real server ends a watch.
        }
        catch (IOException)
        {
        }
        finally
        {
            subscription.Dispose();
        }
    }

    private static byte[] Line(WatchDelivery delivery, Func<WatchDelivery, byte[]>? render) =>
        render is null || delivery.Type == WatchEventType.Bookmark ? delivery.Event.GetLine(delivery.Type) : render(delivery);
}
