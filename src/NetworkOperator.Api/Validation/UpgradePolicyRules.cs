using System.Globalization;
using System.Text.RegularExpressions;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// The driver upgrade settings: <c>maxUnavailable</c> is a non-negative count or a percentage up to 100%, and the pod
/// selectors of <c>waitForCompletion</c> and <c>drain</c> parse as Kubernetes label selectors (the upgrade would
/// otherwise fail on every node at the moment it tries to list the pods).
/// </summary>
internal static partial class UpgradePolicyRules
{
    [GeneratedRegex(@"^(?<number>[0-9]+)(?<percent>%)?\z")]
    private static partial Regex CountOrPercentPattern();

    public static void Check(DriverUpgradePolicySpec? policy, string path, ValidationCollector collector)
    {
        if (policy is null)
        {
            return;
        }

        if (policy.MaxUnavailable?.Value is { } text)
        {
            var field = path + ".maxUnavailable";
            var match = CountOrPercentPattern().Match(text);
            if (!match.Success)
            {
                collector.Invalid(field, text, text.StartsWith('-')
                    ? "must be greater than or equal to 0"
                    : "must be a non-negative integer or a percentage such as \"25%\"");
            }
            else if (!int.TryParse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                collector.Invalid(field, text, "is too large");
            }
            else if (match.Groups["percent"].Success && number > 100)
            {
                collector.Invalid(field, text, "must not be greater than 100%");
            }
        }

        CheckSelector(policy.WaitForCompletion?.PodSelector, path + ".waitForCompletion.podSelector", collector);
        CheckSelector(policy.Drain?.PodSelector, path + ".drain.podSelector", collector);
    }

    private static void CheckSelector(string? selector, string field, ValidationCollector collector)
    {
        if (LabelSelectorSyntax.Problem(selector) is { } problem)
        {
            collector.Invalid(field, selector, "not a valid label selector: " + problem);
        }
    }
}
