namespace Contree.Tests.Common;

/// <summary>A multi-platform test image: the index and each platform's image, in index order.</summary>
public sealed record OciTestIndex(OciBlob Index, IReadOnlyList<OciTestImage> Images);
