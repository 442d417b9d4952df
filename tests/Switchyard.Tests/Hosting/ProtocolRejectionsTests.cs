using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Robustness;

namespace Switchyard.Tests.Hosting;

/// <summary>Requests Kestrel itself rejects, before any Switchyard code, still get an error body in the caller's format.</summary>
public sealed class ProtocolRejectionsTests
{
    /// <summary>Sends raw bytes and reads every answer until the server closes the connection.</summary>
    private static async Task<List<RawAnswer>> SendRawAsync(GatewayHost host, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.BaseUrl.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        using var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.CopyToAsync(received, timeout.Token);
        return Parse(received.ToArray());
    }

    private static List<RawAnswer> Parse(byte[] bytes)
    {
        var answers = new List<RawAnswer>();
        var at = 0;
        while (at < bytes.Length)
        {
            var headEnd = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8) + at;
            var lines = Encoding.ASCII.GetString(bytes, at, headEnd - at).Split("\r\n");
            using var message = new HttpResponseMessage((HttpStatusCode)int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
            var length = 0;
            var chunked = false;
            message.Content = new ByteArrayContent([]);
            foreach (var line in lines.Skip(1))
            {
                var (name, value) = (line[..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                if (name.Equals("content-length", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = true;
                }
                else if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                {
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
                }
                else
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }
            }

            at = headEnd + 4;
            var body = new List<byte>();
            if (chunked)
            {
                while (true)
                {
                    var lineEnd = bytes.AsSpan(at).IndexOf("\r\n"u8) + at;
                    var size = Convert.ToInt32(Encoding.ASCII.GetString(bytes, at, lineEnd - at), 16);
                    body.AddRange(bytes.AsSpan(lineEnd + 2, size).ToArray());
                    at = lineEnd + 2 + size + 2;
                    if (size == 0)
                    {
                        break;
                    }
                }
            }
            else
            {
                body.AddRange(bytes.AsSpan(at, length).ToArray());
                at += length;
            }

            answers.Add(new RawAnswer(message.StatusCode, message.Headers, message.Content.Headers, Encoding.UTF8.GetString([.. body])));
        }

        return answers;
    }

    public static TheoryData<string, string, int> Rejections() => new()
    {
        { "GET /v1/models/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n", "/v1/models/x", 400 },
        { "GET /admin/keys/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n", "/admin/keys/x", 400 },
        { "GET /dashboard/api/usage%00 HTTP/1.1\r\nHost: localhost\r\n\r\n", "/dashboard/api/usage", 400 },
        { "POST /v1/chat/completions HTTP/1.2\r\nHost: localhost\r\n\r\n", "/v1/chat/completions", 400 },
        { "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n", "/v1/messages", 431 },
        { "GET /v1/messages/count_tokens?" + new string('q', 9_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", "/v1/messages/count_tokens", 414 },
        { "POST /beta/completions HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n", "/beta/completions", 400 },
        { "GET /v1/models/%00 HTTP/1.1\r\nHost: localhost\r\nAnthropic-Version: 2023-06-01\r\n\r\n", "/anthropic/v1/models/x", 400 },
        { "POST /v1/responses HTTP/1.1\r\nHost: localhost\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n", "/v1/responses", 431 },
        { "GET /v1/responses/%00/input_items HTTP/1.1\r\nHost: localhost\r\n\r\n", "/v1/responses/x/input_items", 400 },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Kestrels_rejections_get_a_body_in_the_callers_format(string request, string formatPath, int status)
    {
        await using var host = await GatewayHost.StartAsync();
        var answers = await SendRawAsync(host, Encoding.ASCII.GetBytes(request));
        var answer = Assert.Single(answers);
        CallerFormats.AssertError(answer, formatPath, (HttpStatusCode)status);
    }

    [Fact]
    public async Task On_a_kept_alive_connection_the_rejected_request_is_answered_in_its_own_format()
    {
        await using var host = await GatewayHost.StartAsync();
        var body = """{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}]}""";
        var answers = await SendRawAsync(host, Encoding.ASCII.GetBytes(
            $"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}" +
            "GET /anthropic/v1/models/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        Assert.Equal(2, answers.Count);
        Assert.Equal(HttpStatusCode.OK, answers[0].Status);
        Assert.Contains("chat.completion", answers[0].Body, StringComparison.Ordinal);
        CallerFormats.AssertError(answers[1], "/anthropic/v1/models/x", HttpStatusCode.BadRequest);
    }
}
