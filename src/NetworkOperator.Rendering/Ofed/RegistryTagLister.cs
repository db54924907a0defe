using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NetworkOperator.Rendering.Ofed;

/// <summary>Basic credentials for one registry host, e.g. taken from a docker-registry pull secret.</summary>
public sealed record RegistryCredentials(string Username, string Password);

/// <summary>
/// Lists driver image tags with the OCI distribution API (<c>GET /v2/&lt;name&gt;/tags/list</c>, bearer-token challenge,
/// <c>Link</c> pagination) and caches them per image. <see cref="RefreshAsync"/> refetches when the list is older than
/// the refresh interval or the last attempt failed with a retryable error; <see cref="Lookup"/> only reads the cache.
/// Nothing is fetched unless a caller asks: the render command only creates one behind an explicit flag.
/// </summary>
public sealed partial class RegistryTagLister : IPrecompiledTagLister
{
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMinutes(30);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly Func<string, RegistryCredentials?> _credentials;
    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);

    public RegistryTagLister(HttpClient http, TimeProvider time, TimeSpan? refreshInterval = null, Func<string, RegistryCredentials?>? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _time = time;
        _refreshInterval = refreshInterval ?? DefaultRefreshInterval;
        _credentials = credentials ?? (_ => null);
    }

    /// <summary>Number of tag-list fetches started so far (one per refresh, not per page); lets tests assert caching.</summary>
    public int FetchCount { get; private set; }

    private long _version;

    /// <summary>Moves on every change to the cached tag lists (a refetch, or an error recorded), as <see cref="Lookup"/> may answer differently.</summary>
    public long? Version => Interlocked.Read(ref _version);

    public PrecompiledTagLookup Lookup(string repository, string image, string tag)
    {
        if (!_cache.TryGetValue(Key(repository, image), out var entry))
        {
            return new PrecompiledTagLookup(false, $"the tag list of {Key(repository, image)} has not been fetched");
        }

        return new PrecompiledTagLookup(entry.Tags.Contains(tag), entry.Error);
    }

    public async Task RefreshAsync(string repository, string image, CancellationToken cancellationToken = default)
    {
        var key = Key(repository, image);
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(key, out var existing) && now - existing.FetchedAt < _refreshInterval && !existing.Retryable)
        {
            return;
        }

        FetchCount++;
        try
        {
            var tags = await FetchTagsAsync(repository, image, cancellationToken);
            Remember(key, new CacheEntry(tags, now, null, false));
        }
        catch (RegistryException ex)
        {
            // Keep the previous tags (a transient error should not flip pools to source builds) but remember the error.
            Remember(key, new CacheEntry(existing?.Tags ?? [], now, ex.Message, ex.Retryable));
        }
        catch (HttpRequestException ex)
        {
            Remember(key, new CacheEntry(existing?.Tags ?? [], now, ex.Message, true));
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Remember(key, new CacheEntry(existing?.Tags ?? [], now, "timeout: " + ex.Message, true));
        }
    }

    // Every change to the cache moves the version, so a render memo keyed on it never reuses an answer that changed.
    private void Remember(string key, CacheEntry entry)
    {
        _cache[key] = entry;
        Interlocked.Increment(ref _version);
    }

    private static string Key(string repository, string image) => repository.TrimEnd('/') + "/" + image;

    private async Task<HashSet<string>> FetchTagsAsync(string repository, string image, CancellationToken cancellationToken)
    {
        var (host, name) = SplitReference(Key(repository, image));
        var tags = new HashSet<string>(StringComparer.Ordinal);
        Uri? next = new($"https://{host}/v2/{name}/tags/list");
        string? bearer = null;
        while (next is not null)
        {
            using var response = await SendAsync(next, bearer, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && bearer is null && response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) is { } challenge)
            {
                bearer = await GetTokenAsync(host, challenge.Parameter ?? string.Empty, cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var code = (int)response.StatusCode;
                var retryable = code >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
                throw new RegistryException($"listing tags of {host}/{name}: HTTP {code} {response.ReasonPhrase}", retryable);
            }

            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (body.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var tag in list.EnumerateArray())
                {
                    if (tag.GetString() is { } value)
                    {
                        tags.Add(value);
                    }
                }
            }

            next = NextPage(response, next);
        }

        return tags;
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, string? bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await _http.SendAsync(request, cancellationToken);
    }

    private async Task<string> GetTokenAsync(string host, string challenge, CancellationToken cancellationToken)
    {
        var parameters = ChallengeParameter().Matches(challenge).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.OrdinalIgnoreCase);
        if (!parameters.TryGetValue("realm", out var realm))
        {
            throw new RegistryException($"registry {host} asked for a bearer token without a realm", false);
        }

        var query = string.Join('&', parameters.Where(p => p.Key is "service" or "scope").Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, query.Length == 0 ? realm : $"{realm}?{query}");
        if (_credentials(host) is { } credentials)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var code = (int)response.StatusCode;
            throw new RegistryException($"getting a token from {realm}: HTTP {code} {response.ReasonPhrase}", code >= 500);
        }

        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        foreach (var property in new[] { "token", "access_token" })
        {
            if (body.RootElement.TryGetProperty(property, out var token) && token.GetString() is { Length: > 0 } value)
            {
                return value;
            }
        }

        throw new RegistryException($"token response from {realm} holds no token", false);
    }

    private static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links)
        {
            var match = NextLink().Match(link);
            if (match.Success)
            {
                return new Uri(current, match.Groups[1].Value);
            }
        }

        return null;
    }

    /// <summary>Splits <c>nvcr.io/nvidia/mellanox/doca-driver</c> into the registry host and the repository name.</summary>
    internal static (string Host, string Name) SplitReference(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? string.Empty : reference[..slash];
        if (slash > 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            return (first, reference[(slash + 1)..]);
        }

        // Docker Hub: no host part, and official images live under library/.
        return ("registry-1.docker.io", slash < 0 ? "library/" + reference : reference);
    }

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex ChallengeParameter();

    [GeneratedRegex("<([^>]+)>\\s*;\\s*rel=\"?next\"?")]
    private static partial Regex NextLink();

    private sealed record CacheEntry(HashSet<string> Tags, DateTimeOffset FetchedAt, string? Error, bool Retryable);

    private sealed class RegistryException(string message, bool retryable) : Exception(message)
    {
        public bool Retryable { get; } = retryable;
    }
}
