namespace Contree.Mcp.Results;

/// <summary>Resource usage of an instance; -1 means the backend did not measure it.</summary>
internal sealed record ResourceUsage(double UserCpuS, double SystemCpuS, long MaxRssKb, double ElapsedS);
