using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Serialization;
using NetworkOperator.Simulator.Validation;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// The checks the real server makes on a write's options before it touches the object (CreateOptions, UpdateOptions,
/// PatchOptions and DeleteOptions validation): a 422 naming the options kind, so <c>dryRun=true</c> (a common
/// mistake for <c>dryRun=All</c>) is refused instead of silently writing.
/// </summary>
internal static class RequestOptionsValidation
{
    private const int FieldManagerMaxLength = 128;

    /// <summary>PatchOptions' cause for an apply without a field manager (HTTP requests and in-process applies alike).</summary>
    public static StatusCause ApplyWithoutFieldManager { get; } =
        new("FieldValueRequired", "Required value: is required for apply patch", "fieldManager");

    /// <summary>The query of a create, update or patch.</summary>
    /// <param name="query">The request's query parameters.</param>
    /// <param name="optionsKind">CreateOptions, UpdateOptions or PatchOptions.</param>
    /// <param name="patchType">The patch's type, for PatchOptions.</param>
    public static void ValidateWrite(IQueryCollection query, string optionsKind, PatchType? patchType = null)
    {
        var causes = new List<StatusCause>();
        var fieldManager = QueryOptions.Text(query, "fieldManager") ?? "";
        if (patchType == PatchType.Apply && fieldManager.Length == 0)
        {
            causes.Add(ApplyWithoutFieldManager);
        }
        else if (patchType is { } type && type != PatchType.Apply && query.ContainsKey("force"))
        {
            causes.Add(new StatusCause("FieldValueForbidden", "Forbidden: may not be specified for non-apply patch", "force"));
        }

        if (Encoding.UTF8.GetByteCount(fieldManager) > FieldManagerMaxLength)
        {
            causes.Add(new StatusCause("FieldValueTooLong", $"Too long: may not be more than {FieldManagerMaxLength} bytes", "fieldManager"));
        }

        var position = 0;
        foreach (var rune in fieldManager.EnumerateRunes())
        {
            if (!IsPrint(rune))
            {
                causes.Add(new StatusCause("FieldValueInvalid",
                    $"Invalid value: {GoValue.Quote(fieldManager)}: invalid character U+{rune.Value:X4} (at position {position})", "fieldManager"));
            }

            position += rune.Utf8SequenceLength;
        }

        DryRun(query["dryRun"].OfType<string>(), causes);
        if (QueryOptions.Text(query, "fieldValidation") is { } directive && directive is not ("" or "Ignore" or "Warn" or "Strict"))
        {
            causes.Add(new StatusCause("FieldValueNotSupported",
                $"Unsupported value: {GoValue.Quote(directive)}: supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"", "fieldValidation"));
        }

        Throw(optionsKind, causes);
    }

    /// <summary>DeleteOptions from the query and an optional body: propagation policy and dry run.</summary>
    public static void ValidateDelete(IQueryCollection query, JsonNode? body)
    {
        var causes = new List<StatusCause>();
        var options = body as JsonObject;
        var policy = options?.GetString("propagationPolicy") ?? QueryOptions.Text(query, "propagationPolicy");
        var orphanSet = options?["orphanDependents"] is not null || query.ContainsKey("orphanDependents");
        if (policy is not null && orphanSet)
        {
            causes.Add(new StatusCause("FieldValueInvalid",
                $"Invalid value: {GoValue.Quote(policy)}: orphanDependents and deletionPropagation cannot be both set", "propagationPolicy"));
        }

        if (policy is not (null or "Foreground" or "Background" or "Orphan"))
        {
            causes.Add(new StatusCause("FieldValueNotSupported",
                $"Unsupported value: {GoValue.Quote(policy)}: supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"", "propagationPolicy"));
        }

        var dryRun = options?["dryRun"] is JsonArray list ? list.Select(v => v?.ToString() ?? "") : query["dryRun"].OfType<string>();
        DryRun(dryRun, causes);
        Throw("DeleteOptions", causes);
    }

    private static void DryRun(IEnumerable<string> values, List<StatusCause> causes)
    {
        var list = values.ToList();
        if (list.Any(v => v != "All"))
        {
            causes.Add(new StatusCause("FieldValueNotSupported",
                $"Unsupported value: []string{{{string.Join(", ", list.Select(GoValue.Quote))}}}: supported values: \"All\"", "dryRun"));
        }
    }

    private static void Throw(string optionsKind, List<StatusCause> causes)
    {
        if (causes.Count > 0)
        {
            throw ApiErrors.InvalidRequest("meta.k8s.io", optionsKind, causes);
        }
    }

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsPrint(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };
}
