using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace NetworkOperator.Controllers.Webhooks;

/// <summary>
/// The serving certificate, re-read when <c>tls.crt</c> or <c>tls.key</c> change (cert-manager renews into the
/// mounted Secret; the kubelet swaps the files in place). Checked on a TLS handshake at most once per
/// <see cref="CheckInterval"/>, by modification time and size, so a renewal takes effect without a restart. A
/// half-written pair (the key of one certificate, the certificate of the next) fails to load and the previous
/// certificate keeps serving until the pair is consistent.
/// </summary>
public sealed class ReloadingCertificate : IDisposable
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private static readonly string[] PairFiles = ["tls.crt", "tls.key"];

    private readonly string? _directory;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly Lock _lock = new();
    private X509Certificate2 _current;
    private string _stamp = string.Empty;
    private DateTimeOffset _checkedAt;

    private ReloadingCertificate(X509Certificate2 current, string? directory, TimeProvider time, ILogger? logger)
    {
        _current = current;
        _directory = directory;
        _time = time;
        _logger = logger;
        _checkedAt = time.GetUtcNow();
        if (directory is not null)
        {
            _stamp = Stamp(directory);
        }
    }

    /// <summary>How many times a changed pair was loaded (for tests and logs).</summary>
    public int Reloads { get; private set; }

    /// <summary>A certificate that never changes (generated at start-up).</summary>
    public static ReloadingCertificate Fixed(X509Certificate2 certificate) => new(certificate, null, TimeProvider.System, null);

    /// <summary>tls.crt/tls.key of <paramref name="directory"/>, watched for changes; null when the pair is absent.</summary>
    public static ReloadingCertificate? FromDirectory(string directory, TimeProvider? time = null, ILogger? logger = null)
    {
        var certificate = WebhookCertificate.LoadFromDirectory(directory);
        return certificate is null ? null : new ReloadingCertificate(certificate.Serving, directory, time ?? TimeProvider.System, logger);
    }

    /// <summary>The certificate to present now; reloads first when the files changed since the last check.</summary>
    public X509Certificate2 Current
    {
        get
        {
            if (_directory is null)
            {
                return _current;
            }

            lock (_lock)
            {
                var now = _time.GetUtcNow();
                if (now - _checkedAt < CheckInterval)
                {
                    return _current;
                }

                _checkedAt = now;
                var stamp = Stamp(_directory);
                if (stamp == _stamp)
                {
                    return _current;
                }

                try
                {
                    var loaded = WebhookCertificate.LoadFromDirectory(_directory);
                    if (loaded is not null)
                    {
                        _current = loaded.Serving;
                        _stamp = stamp;
                        Reloads++;
                        if (_logger?.IsEnabled(LogLevel.Information) == true)
                        {
                            _logger.LogInformation("Webhook certificate reloaded from {Directory}; valid until {NotAfter:o}", _directory, _current.NotAfter.ToUniversalTime());
                        }
                    }
                }
                catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
                {
                    // Mid-renewal the two files may not match yet; keep serving the previous pair and look again later.
                    if (_logger?.IsEnabled(LogLevel.Warning) == true)
                    {
                        _logger.LogWarning("Webhook certificate in {Directory} not reloaded yet: {Reason}", _directory, ex.Message);
                    }
                }

                return _current;
            }
        }
    }

    public void Dispose() => _current.Dispose();

    // Where each file points (Secret volumes are symlinks into a timestamped directory), when it was written, its size.
    private static string Stamp(string directory) => string.Join('|', PairFiles.Select(name =>
    {
        var path = Path.Combine(directory, name);
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            var info = new FileInfo(target);
            return info.Exists ? $"{target}:{info.LastWriteTimeUtc.Ticks}:{info.Length}" : "absent";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }));
}
