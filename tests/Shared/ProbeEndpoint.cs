using System.Net;
using System.Net.Sockets;

namespace NetworkOperator.Tests.Shared;

/// <summary>The operator's health probe address as the kubelet sees it: a free loopback port and its /readyz answer.</summary>
internal static class ProbeEndpoint
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether /readyz answers 200; false while nothing listens yet.</summary>
    public static async Task<bool> ReadyAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            return (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"))).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
