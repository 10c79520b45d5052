using System.Text.Json.Serialization;
using Contree.Core.Json;

namespace Contree.Core.Models;

/// <summary>What an operation does. On the wire: <c>instance</c> or <c>image_import</c> (read case-insensitively).</summary>
[JsonConverter(typeof(OperationKindConverter))]
public enum OperationKind
{
    Instance,
    ImageImport,
}
