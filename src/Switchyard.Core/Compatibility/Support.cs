namespace Switchyard.Compatibility;

/// <summary>What a lane does with a request field, header, content block or tool type.</summary>
public enum Support
{
    /// <summary>Mapped to its upstream equivalent and honoured.</summary>
    Honoured,
    /// <summary>Carried in another form the upstream understands, with the same effect for the client (the note says how).</summary>
    Translated,
    /// <summary>Accepted and ignored; the request is served without it.</summary>
    Ignored,
    /// <summary>Rejected with a 400 <c>invalid_request_error</c> that names it and where it was.</summary>
    Rejected,
}
