using System.Globalization;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Server.ApiServer;

/// <summary>Reads and validates query parameters of the Contree API; bad values are InvalidArgument errors.</summary>
internal static class ApiQuery
{
    public static string? Text(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public static string Required(HttpRequest request, string name) =>
        Text(request, name) is { Length: > 0 } value ? value : throw ContreeException.InvalidArgument($"query parameter '{name}' is required");

    public static int Int(HttpRequest request, string name, int fallback, int min, int max) =>
        (int)Long(request, name, fallback, min, max);

    public static long Long(HttpRequest request, string name, long fallback, long min, long max)
    {
        var text = Text(request, name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw ContreeException.InvalidArgument($"query parameter '{name}' must be an integer from {min} to {max}, got '{text}'");
    }

    public static bool? Bool(HttpRequest request, string name) => Text(request, name) switch
    {
        null or "" => null,
        "1" or "true" or "True" => true,
        "0" or "false" or "False" => false,
        var text => throw ContreeException.InvalidArgument($"query parameter '{name}' must be 1 or 0, got '{text}'"),
    };

    public static ImageListQuery Images(HttpRequest request) => new()
    {
        Limit = Int(request, "limit", 100, 1, 10_000),
        Offset = Int(request, "offset", 0, 0, int.MaxValue),
        Tagged = Bool(request, "tagged"),
        TagPrefix = NonEmpty(Text(request, "tag")),
        Since = NonEmpty(Text(request, "since")),
        Until = NonEmpty(Text(request, "until")),
    };

    public static OperationListQuery Operations(HttpRequest request)
    {
        OperationStatus? status = null;
        if (NonEmpty(Text(request, "status")) is { } statusText)
        {
            status = OperationEnums.TryParseStatus(statusText, out var parsed)
                ? parsed
                : throw ContreeException.InvalidArgument(
                    $"query parameter 'status' must be one of PENDING, ASSIGNED, EXECUTING, SUCCESS, FAILED, CANCELLED, got '{statusText}'");
        }

        OperationKind? kind = null;
        if (NonEmpty(Text(request, "kind")) is { } kindText)
        {
            kind = OperationEnums.TryParseKind(kindText, out var parsed)
                ? parsed
                : throw ContreeException.InvalidArgument($"query parameter 'kind' must be instance or image_import, got '{kindText}'");
        }

        return new OperationListQuery
        {
            Limit = Int(request, "limit", 100, 1, 10_000),
            Offset = Int(request, "offset", 0, 0, int.MaxValue),
            Status = status,
            Kind = kind,
            Since = NonEmpty(Text(request, "since")),
            Until = NonEmpty(Text(request, "until")),
        };
    }

    /// <summary>The <c>path</c> of inspect endpoints, made absolute ("/" + path without leading slashes).</summary>
    public static string InspectPath(HttpRequest request) => "/" + (Text(request, "path") ?? "").TrimStart('/');

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
