using QRCoder;

namespace SignalSharp.Cli.Hosting;

/// <summary>A QR code drawn with half-block characters (two modules per character row), dark on a light quiet zone.</summary>
internal static class TerminalQrCode
{
    public static string Render(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.L);
        using var code = new AsciiQRCode(data);
        return code.GetGraphicSmall(drawQuietZones: true, invert: false);
    }
}
