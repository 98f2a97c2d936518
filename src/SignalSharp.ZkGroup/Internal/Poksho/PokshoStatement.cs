namespace SignalSharp.ZkGroup.Internal.Poksho;

/// <summary>
/// A poksho statement: linear equations LHS = Σ scalar·point over named scalars and points, proved with a
/// Fiat–Shamir Schnorr proof whose transcript is a SHO-HMAC-SHA256. Names get indices in order of first appearance
/// (point 0 is "G", the base point), and those indices, not the names, are what the transcript commits to, so the
/// order of <see cref="Add"/> calls and of terms must follow libsignal's exactly.
/// </summary>
internal sealed class PokshoStatement
{
    private const string Label = "POKSHO_Ristretto_SHOHMACSHA256";

    private readonly List<(byte Lhs, (byte Scalar, byte Point)[] Terms)> equations = [];
    private readonly List<string> scalarNames = [];
    private readonly List<string> pointNames = ["G"];

    public IReadOnlyList<string> ScalarNames => scalarNames;

    public IReadOnlyList<string> PointNames => pointNames;

    public PokshoStatement Add(string lhs, params (string Scalar, string Point)[] terms)
    {
        if (terms.Length is 0 or > 255 || equations.Count >= 255)
        {
            throw new ArgumentException("a poksho equation has 1..255 terms and a statement at most 255 equations");
        }

        var lhsIndex = IndexOf(pointNames, lhs);
        var indexed = terms.Select(t => (IndexOf(scalarNames, t.Scalar), IndexOf(pointNames, t.Point))).ToArray();
        equations.Add((lhsIndex, indexed));
        return this;
    }

    /// <summary>The description D: equation count, then per equation lhs, term count and (scalar, point) index pairs.</summary>
    public byte[] ToBytes()
    {
        var d = new List<byte> { (byte)equations.Count };
        foreach (var (lhs, terms) in equations)
        {
            d.Add(lhs);
            d.Add((byte)terms.Length);
            foreach (var (s, p) in terms)
            {
                d.Add(s);
                d.Add(p);
            }
        }

        return [.. d];
    }

    /// <summary>Proves knowledge of the scalars; the proof is verified before it is returned, as libsignal does.</summary>
    public byte[] Prove(IReadOnlyDictionary<string, Scalar> scalars, IReadOnlyDictionary<string, RistrettoPoint> points, ReadOnlySpan<byte> message, ReadOnlySpan<byte> random32)
    {
        if (random32.Length != 32)
        {
            throw new ArgumentException("poksho randomness is 32 bytes", nameof(random32));
        }

        var witness = SortScalars(scalars);
        var all = SortPoints(points);
        var transcript = Transcript(all);

        // Synthetic nonce from randomness, witness and message, so a nonce never repeats across challenges.
        var nonceSho = transcript.Clone();
        nonceSho.Absorb(random32);
        foreach (var s in witness)
        {
            nonceSho.Absorb(s.Bytes);
        }

        nonceSho.Ratchet();
        nonceSho.AbsorbAndRatchet(message);
        var nonceBytes = nonceSho.Squeeze(64 * witness.Length);
        var nonce = new Scalar[witness.Length];
        for (var i = 0; i < nonce.Length; i++)
        {
            nonce[i] = Scalar.FromWide(nonceBytes.AsSpan(64 * i, 64));
        }

        var challenge = Challenge(transcript, Homomorphism(nonce, all, null), message);
        var proof = new byte[32 * (1 + witness.Length)];
        challenge.Bytes.CopyTo(proof);
        for (var i = 0; i < witness.Length; i++)
        {
            (nonce[i] + (witness[i] * challenge)).Bytes.CopyTo(proof.AsSpan(32 * (i + 1)));
        }

        if (!Verify(proof, points, message))
        {
            throw new InvalidOperationException("poksho produced a proof that does not verify: the witness does not satisfy the statement");
        }

        return proof;
    }

    public bool Verify(ReadOnlySpan<byte> proof, IReadOnlyDictionary<string, RistrettoPoint> points, ReadOnlySpan<byte> message)
    {
        if (proof.Length != 32 * (1 + scalarNames.Count))
        {
            return false;
        }

        var parsed = new Scalar[1 + scalarNames.Count];
        for (var i = 0; i < parsed.Length; i++)
        {
            if (!Scalar.TryFromCanonical(proof.Slice(32 * i, 32), out parsed[i]))
            {
                return false;
            }
        }

        var all = SortPoints(points);
        var transcript = Transcript(all);
        var commitment = Homomorphism(parsed[1..], all, parsed[0]);
        return Challenge(transcript, commitment, message) == parsed[0];
    }

    private ShoHmacSha256 Transcript(RistrettoPoint[] all)
    {
        var sho = new ShoHmacSha256(System.Text.Encoding.ASCII.GetBytes(Label));
        sho.Absorb(ToBytes());
        foreach (var p in all)
        {
            sho.Absorb(p.Bytes);
        }

        sho.Ratchet();
        return sho;
    }

    private static Scalar Challenge(ShoHmacSha256 transcript, RistrettoPoint[] commitment, ReadOnlySpan<byte> message)
    {
        // Commitments and message share one absorb phase.
        foreach (var c in commitment)
        {
            transcript.Absorb(c.Bytes);
        }

        transcript.AbsorbAndRatchet(message);
        return Scalar.FromWide(transcript.Squeeze(64));
    }

    /// <summary>
    /// Per equation Σ s·P, minus challenge·LHS when recovering the commitment during verification. Proving multiplies
    /// secret nonces, so it takes the constant-time multiscalar; verifying has only public scalars (the proof's
    /// responses and the challenge), so it takes the variable-time one.
    /// </summary>
    private RistrettoPoint[] Homomorphism(Scalar[] scalars, RistrettoPoint[] all, Scalar? challenge)
    {
        var result = new RistrettoPoint[equations.Count];
        for (var e = 0; e < equations.Count; e++)
        {
            var (lhs, terms) = equations[e];
            var n = terms.Length + (challenge is null ? 0 : 1);
            var termScalars = new Scalar[n];
            var termPoints = new RistrettoPoint[n];
            for (var k = 0; k < terms.Length; k++)
            {
                termScalars[k] = scalars[terms[k].Scalar];
                termPoints[k] = all[terms[k].Point];
            }

            if (challenge is { } h)
            {
                termScalars[^1] = -h;
                termPoints[^1] = all[lhs];
                result[e] = RistrettoPoint.VartimeMultiscalar(termScalars, termPoints);
            }
            else
            {
                result[e] = RistrettoPoint.Multiscalar(termScalars, termPoints);
            }
        }

        return result;
    }

    private Scalar[] SortScalars(IReadOnlyDictionary<string, Scalar> scalars)
    {
        if (scalars.Count != scalarNames.Count)
        {
            throw new ArgumentException($"statement has {scalarNames.Count} scalars, {scalars.Count} given");
        }

        return [.. scalarNames.Select(n => scalars.TryGetValue(n, out var s) ? s : throw new ArgumentException($"missing scalar {n}"))];
    }

    private RistrettoPoint[] SortPoints(IReadOnlyDictionary<string, RistrettoPoint> points)
    {
        if (points.Count != pointNames.Count - 1)
        {
            throw new ArgumentException($"statement has {pointNames.Count - 1} points besides G, {points.Count} given");
        }

        return [RistrettoPoint.BasePoint, .. pointNames.Skip(1).Select(n => points.TryGetValue(n, out var p) ? p : throw new ArgumentException($"missing point {n}"))];
    }

    private static byte IndexOf(List<string> names, string name)
    {
        var i = names.IndexOf(name);
        if (i >= 0)
        {
            return (byte)i;
        }

        if (names.Count > 255)
        {
            throw new ArgumentException("a poksho statement has at most 256 points and 256 scalars");
        }

        names.Add(name);
        return (byte)(names.Count - 1);
    }
}
