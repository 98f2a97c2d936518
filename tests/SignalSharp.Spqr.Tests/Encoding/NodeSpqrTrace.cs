using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Spqr.Tests.Encoding;

/// <summary>One message of a node session trace (interop/oracle/spqr-math.mjs): SPQR wire bytes and both states.</summary>
internal sealed record TraceStep(char From, bool Delivered, byte[] Pq, byte[] Alice, byte[] Bob);

/// <summary>Runs node's libsignal through a send plan and reads the PqRatchetState protobufs it stores.</summary>
internal static class NodeSpqrTrace
{
    public static async Task<IReadOnlyList<TraceStep>> RunAsync(NodeOracle oracle, string plan)
    {
        var result = await oracle.CallAsync("spqrmath.trace", new JsonObject { ["plan"] = plan });
        return result!.AsArray().Select(s => new TraceStep(
            s!["from"]!.GetValue<string>()[0],
            s["delivered"]!.GetValue<bool>(),
            Convert.FromBase64String(s["pq"]!.GetValue<string>()),
            Convert.FromBase64String(s["alice"]!.GetValue<string>()),
            Convert.FromBase64String(s["bob"]!.GetValue<string>()))).ToList();
    }

    /// <summary>The V1 state's oneof case number (1..11) and its message bytes.</summary>
    public static (int Case, byte[] Body) V1State(byte[] pqRatchetState)
    {
        var v1 = Proto.Bytes(pqRatchetState, 3) ?? throw new InvalidOperationException("no v1 state");
        var inner = Proto.Fields(v1).Single(f => f.Wire == 2);
        return (inner.Field, inner.Bytes!);
    }

    /// <summary>Encoder fields: idx, pts[16], polys[16].</summary>
    public static (uint Index, List<byte[]> Points, List<byte[]> Polys) Encoder(byte[] encoder) =>
        ((uint)(Proto.Varint(encoder, 1) ?? 0), Proto.AllBytes(encoder, 2), Proto.AllBytes(encoder, 3));

    /// <summary>Decoder fields: pts_needed, pts[16], is_complete.</summary>
    public static (uint Needed, List<byte[]> Points, bool Complete) Decoder(byte[] decoder) =>
        ((uint)(Proto.Varint(decoder, 1) ?? 0), Proto.AllBytes(decoder, 3), (Proto.Varint(decoder, 4) ?? 0) != 0);

    /// <summary>Reassembles the message an encoder in points form holds (word j is pts[j % 16][j / 16]).</summary>
    public static byte[] MessageFromPoints(IReadOnlyList<byte[]> points)
    {
        int words = points.Sum(p => p.Length / 2);
        var message = new byte[words * 2];
        for (int j = 0; j < words; j++)
        {
            var run = points[j % 16];
            message[2 * j] = run[2 * (j / 16)];
            message[(2 * j) + 1] = run[(2 * (j / 16)) + 1];
        }

        return message;
    }

    /// <summary>SPQR wire message: version, epoch, index, type, and (for chunk types) chunk index and data.</summary>
    public static (ulong Epoch, int Type, ushort? ChunkIndex, byte[]? Chunk) ParseMessage(byte[] pq)
    {
        int pos = 1;
        ulong epoch = Proto.ReadVarint(pq, ref pos);
        Proto.ReadVarint(pq, ref pos);
        int type = pq[pos++];
        if (type is 0 or 4)
        {
            return (epoch, type, null, null);
        }

        var chunkIndex = (ushort)Proto.ReadVarint(pq, ref pos);
        return (epoch, type, chunkIndex, pq.AsSpan(pos, 32).ToArray());
    }
}

/// <summary>A minimal protobuf reader for test inspection of node's stored state.</summary>
internal static class Proto
{
    public sealed record Entry(int Field, int Wire, ulong Value, byte[]? Bytes);

    public static List<Entry> Fields(ReadOnlySpan<byte> data)
    {
        var fields = new List<Entry>();
        int pos = 0;
        var array = data.ToArray();
        while (pos < array.Length)
        {
            ulong key = ReadVarint(array, ref pos);
            int field = (int)(key >> 3);
            int wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    fields.Add(new Entry(field, wire, ReadVarint(array, ref pos), null));
                    break;
                case 2:
                    int length = (int)ReadVarint(array, ref pos);
                    fields.Add(new Entry(field, wire, 0, array.AsSpan(pos, length).ToArray()));
                    pos += length;
                    break;
                case 1:
                    pos += 8;
                    break;
                case 5:
                    pos += 4;
                    break;
                default:
                    throw new FormatException($"wire type {wire}");
            }
        }

        return fields;
    }

    public static byte[]? Bytes(byte[] message, int field) =>
        Fields(message).FirstOrDefault(f => f.Field == field && f.Wire == 2)?.Bytes;

    public static List<byte[]> AllBytes(byte[] message, int field) =>
        Fields(message).Where(f => f.Field == field && f.Wire == 2).Select(f => f.Bytes!).ToList();

    public static ulong? Varint(byte[] message, int field) =>
        Fields(message).FirstOrDefault(f => f.Field == field && f.Wire == 0)?.Value;

    public static ulong ReadVarint(byte[] data, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
    }
}
