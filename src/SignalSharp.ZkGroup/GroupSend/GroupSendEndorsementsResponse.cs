using System.Buffers.Binary;
using SignalSharp.ZkGroup.Groups;
using SignalSharp.ZkGroup.Internal;
using SignalSharp.ZkGroup.Internal.Curve;
using SignalSharp.ZkGroup.Internal.Poksho;

namespace SignalSharp.ZkGroup.GroupSend;

/// <summary>
/// The group server's endorsements of every member for one day, with a batched proof that all were made with the
/// day's derived key: 0x00 ‖ u64LE(n) ‖ R×n ‖ u64LE(64) ‖ proof ‖ u64LE(expiration).
/// </summary>
public sealed class GroupSendEndorsementsResponse
{
    private const string DayKeyLabel = "20240215_Signal_GroupSendEndorsement";
    private const string WeightsLabel = "Signal_ZKCredential_Endorsements_EndorsementResponse_ProofWeights_20240207";
    private const ulong SecondsPerDay = 86400;

    // Below this many members the work is too small for a second thread to pay off.
    private const int ParallelThreshold = 8;
    private const int MemberBatch = 8;

    private static readonly PokshoStatement Statement = new PokshoStatement()
        .Add("weighted_sum(R)", ("sk'", "weighted_sum(E)"))
        .Add("G", ("sk'", "PK_prime"));

    private readonly byte[][] endorsements;
    private readonly byte[] proof;

    private GroupSendEndorsementsResponse(byte[][] endorsements, byte[] proof, ulong expiration)
    {
        this.endorsements = endorsements;
        this.proof = proof;
        ExpirationSeconds = expiration;
    }

    public ulong ExpirationSeconds { get; }

    public static GroupSendEndorsementsResponse Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(GroupSendEndorsementsResponse));
        r.ExpectVersion(0);
        var n = r.ReadU64();
        if (n > (ulong)data.Length / 32)
        {
            throw new ZkGroupDeserializationException(nameof(GroupSendEndorsementsResponse), "endorsement count exceeds the data");
        }

        // Points are kept as bytes: an undecodable one only makes the proof fail, as in libsignal.
        var list = new byte[n][];
        for (var i = 0UL; i < n; i++)
        {
            list[i] = r.ReadBytes(32).ToArray();
        }

        var proofLength = r.ReadU64();
        if (proofLength > (ulong)data.Length)
        {
            throw new ZkGroupDeserializationException(nameof(GroupSendEndorsementsResponse), "proof length exceeds the data");
        }

        var proof = r.ReadBytes((int)proofLength).ToArray();
        var expiration = r.ReadU64();
        r.ExpectEnd();
        return new GroupSendEndorsementsResponse(list, proof, expiration);
    }

    /// <summary>
    /// Verifies the batch proof for the group's members (all of them, the local user included, in any order) and
    /// returns one endorsement per member in the caller's order plus the sum over everyone but the local user.
    /// </summary>
    public (GroupSendEndorsement[] Endorsements, GroupSendEndorsement Combined) ReceiveWithServiceIds(
        IReadOnlyList<ZkServiceId> members, ZkServiceId localUser, GroupSecretParams groupParams, ServerPublicParams serverParams, DateTimeOffset now)
    {
        // Each member's a1·M1 is independent of the others: spread them over the cores as libsignal does (rayon),
        // in batches of eight that share one vectorized product.
        var memberPoints = new RistrettoPoint[members.Count];
        ParallelFor((members.Count + MemberBatch - 1) / MemberBatch, b =>
        {
            var start = b * MemberBatch;
            var m1 = UidStruct.CalcM1Many(members.Skip(start).Take(MemberBatch));
            RistrettoPoint.MulMany(groupParams.A1, m1).CopyTo(memberPoints, start);
        }, minimum: 2);
        var received = Receive(memberPoints, serverParams, now);
        var local = Array.FindIndex(members.ToArray(), m => m.Equals(localUser));
        if (local < 0)
        {
            throw new ArgumentException("the local user must be among the members", nameof(localUser));
        }

        var combined = GroupSendEndorsement.Combine(received.Where((_, i) => i != local));
        return (received, combined);
    }

    /// <summary>
    /// The same check from the members' UuidCiphertexts as they appear in the group state (their first point is
    /// a1·M1, which is all the proof needs), so no member has to be decrypted first.
    /// </summary>
    public (GroupSendEndorsement[] Endorsements, GroupSendEndorsement Combined) ReceiveWithCiphertexts(
        IReadOnlyList<UuidCiphertext> members, UuidCiphertext localUser, ServerPublicParams serverParams, DateTimeOffset now)
    {
        var received = Receive([.. members.Select(m => m.E1)], serverParams, now);
        var local = members.ToList().FindIndex(m => m.Equals(localUser));
        if (local < 0)
        {
            throw new ArgumentException("the local user must be among the members", nameof(localUser));
        }

        var combined = GroupSendEndorsement.Combine(received.Where((_, i) => i != local));
        return (received, combined);
    }

    private GroupSendEndorsement[] Receive(RistrettoPoint[] memberPoints, ServerPublicParams serverParams, DateTimeOffset now)
    {
        const string what = nameof(GroupSendEndorsementsResponse);
        ValidateExpiration(now);
        if (memberPoints.Length != endorsements.Length || memberPoints.Length == 0)
        {
            throw new ZkGroupVerificationException(what);
        }

        var dayKey = ShoHmacSha256.Create(DayKeyLabel, BigEndian(ExpirationSeconds)).GetScalar();
        var pkPrime = serverParams.EndorsementPublicKey + RistrettoPoint.MulBase(dayKey);

        // The server lists endorsements in the order of the encoded doubled member points; follow it.
        var doubled = RistrettoPoint.DoubleAndEncodeBatch(memberPoints);
        var order = Enumerable.Range(0, memberPoints.Length).ToArray();
        Array.Sort(order, (x, y) => doubled[x].AsSpan().SequenceCompareTo(doubled[y]));

        var weights = new ShoHmacSha256(System.Text.Encoding.ASCII.GetBytes(WeightsLabel));
        weights.Absorb(pkPrime.Bytes);
        foreach (var i in order)
        {
            weights.Absorb(doubled[i]);
        }

        foreach (var r in endorsements)
        {
            weights.Absorb(r);
        }

        weights.Ratchet();
        var weightBytes = weights.Squeeze((memberPoints.Length - 1) * 16);

        var points = new RistrettoPoint[endorsements.Length];
        var valid = new bool[endorsements.Length];
        ParallelFor((points.Length + MemberBatch - 1) / MemberBatch, b =>
        {
            var start = b * MemberBatch;
            var count = Math.Min(MemberBatch, points.Length - start);
            RistrettoPoint.DecodeMany(endorsements.AsSpan(start, count), valid.AsSpan(start, count)).CopyTo(points, start);
        }, minimum: 2);
        // The weights are public (squeezed from the transcript) and so are the points: variable time is fine here.
        var n = memberPoints.Length;
        var w = new Scalar[n];
        var orderedE = new RistrettoPoint[n];
        w[0] = Scalar.One;
        orderedE[0] = memberPoints[order[0]];
        Span<byte> chunk = stackalloc byte[16];
        for (var k = 1; k < n; k++)
        {
            weightBytes.AsSpan(16 * (k - 1), 16).CopyTo(chunk);
            chunk[15] &= 0x7F;
            w[k] = Scalar.FromSmallBytes(chunk);
            orderedE[k] = memberPoints[order[k]];
        }

        var (sumE, sumR) = WeightedSums(w, orderedE, points);

        var pointArgs = new Dictionary<string, RistrettoPoint>
        {
            ["weighted_sum(R)"] = sumR,
            ["weighted_sum(E)"] = sumE,
            ["PK_prime"] = pkPrime,
        };
        if (!Statement.Verify(proof, pointArgs, []) || Array.IndexOf(valid, false) >= 0)
        {
            throw new ZkGroupVerificationException(what);
        }

        var result = new GroupSendEndorsement[memberPoints.Length];
        for (var k = 0; k < order.Length; k++)
        {
            result[order[k]] = new GroupSendEndorsement(points[k]);
        }

        return result;
    }

    /// <summary>
    /// (Σ w[k]·E[k], Σ w[k]·R[k]). The weights are public (squeezed from the transcript) and so are the points.
    /// With 512-bit vectors both sums go through one eight-lane pass (lanes 0-3 sum E, lanes 4-7 sum R, the weights
    /// below 2^127 need 33 radix-16 windows); otherwise two variable-time Straus sums, one per core.
    /// </summary>
    private static (RistrettoPoint SumE, RistrettoPoint SumR) WeightedSums(Scalar[] w, RistrettoPoint[] e, RistrettoPoint[] r)
    {
        var n = w.Length;
        if (FeVec.IsAccelerated && n >= ParallelThreshold)
        {
            var slots = (n + 3) / 4;
            var scalars = new Scalar[slots * 8];
            var points = new EdPoint[slots * 8];
            Array.Fill(scalars, Scalar.Zero);
            Array.Fill(points, EdPoint.Identity);
            for (var k = 0; k < n; k++)
            {
                var at = (8 * (k / 4)) + (k % 4);
                scalars[at] = scalars[at + 4] = w[k];
                points[at] = e[k].Point;
                points[at + 4] = r[k].Point;
            }

            // Two halves of the slots, one per core, their lane sums added afterwards.
            var half = 8 * (slots / 2);
            EdPoint[] lanes = [], upper = [];
            Parallel.Invoke(
                () => lanes = EdPointVecSums.LaneSums(scalars.AsSpan(0, half), points.AsSpan(0, half), windows: 33),
                () => upper = EdPointVecSums.LaneSums(scalars.AsSpan(half), points.AsSpan(half), windows: 33));
            for (var j = 0; j < lanes.Length; j++)
            {
                lanes[j] = EdPoint.Add(lanes[j], upper[j]);
            }

            var sumE = EdPoint.Add(EdPoint.Add(lanes[0], lanes[1]), EdPoint.Add(lanes[2], lanes[3]));
            var sumR = EdPoint.Add(EdPoint.Add(lanes[4], lanes[5]), EdPoint.Add(lanes[6], lanes[7]));
            return (RistrettoPoint.FromEdPoint(sumE), RistrettoPoint.FromEdPoint(sumR));
        }

        RistrettoPoint se = default, sr = default;
        if (n >= ParallelThreshold)
        {
            Parallel.Invoke(() => se = RistrettoPoint.VartimeMultiscalar(w, e), () => sr = RistrettoPoint.VartimeMultiscalar(w, r));
        }
        else
        {
            se = RistrettoPoint.VartimeMultiscalar(w, e);
            sr = RistrettoPoint.VartimeMultiscalar(w, r);
        }

        return (se, sr);
    }

    /// <summary>body(i) for i in [0, n), over the cores when n is large enough to pay for it; results land by index.</summary>
    private static void ParallelFor(int n, Action<int> body, int minimum = ParallelThreshold)
    {
        if (n < minimum)
        {
            for (var i = 0; i < n; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, n, body);
    }

    private void ValidateExpiration(DateTimeOffset now)
    {
        var nowSeconds = (ulong)now.ToUnixTimeSeconds();
        if (ExpirationSeconds % SecondsPerDay != 0 || ExpirationSeconds < nowSeconds + (2 * 3600) || ExpirationSeconds - nowSeconds > 7 * SecondsPerDay)
        {
            throw new ZkGroupVerificationException($"{nameof(GroupSendEndorsementsResponse)} expiration");
        }
    }

    private static byte[] BigEndian(ulong value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        return b;
    }
}
