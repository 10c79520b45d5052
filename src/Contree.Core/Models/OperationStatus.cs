using System.Text.Json.Serialization;
using Contree.Core.Json;

namespace Contree.Core.Models;

/// <summary>Lifecycle of an operation. On the wire the values are upper case: <c>PENDING</c>, <c>EXECUTING</c>, …</summary>
[JsonConverter(typeof(OperationStatusConverter))]
public enum OperationStatus
{
    Pending,
    Assigned,
    Executing,
    Success,
    Failed,
    Cancelled,
}
