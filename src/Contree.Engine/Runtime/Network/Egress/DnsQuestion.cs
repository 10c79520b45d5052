namespace Contree.Engine.Runtime.Network.Egress;

/// <summary>
/// The question of a DNS query (RFC 1035 §4.1.2) and the query's ID (§4.1.1). <see cref="Name"/> is lower-case ASCII,
/// labels joined by '.', without the trailing dot; the root name is "".
/// </summary>
internal readonly record struct DnsQuestion(ushort Id, string Name, ushort Type, ushort Class);
