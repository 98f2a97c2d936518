namespace SignalSharp.Service.Groups;

/// <summary>The group server holds no group under the presented public parameters (HTTP 404).</summary>
public sealed class GroupNotFoundOnServerException(string route)
    : ServiceException($"{route}: the group server knows no such group (404)")
{
    public string Route { get; } = route;
}

/// <summary>
/// The group server refused the presentation (HTTP 403): the credential did not verify, or the account is not (or no
/// longer) a member allowed to read the group.
/// </summary>
public sealed class GroupAccessDeniedException(string route, string? detail)
    : ServiceException($"{route}: the group server denied access (403){(string.IsNullOrEmpty(detail) ? "" : ": " + detail)}")
{
    public string Route { get; } = route;

    public string? Detail { get; } = detail;
}

/// <summary>
/// The group server refused a change because the group moved on (HTTP 409): another member's change took the revision
/// the change was built on. The caller brings its state up to date and builds the change again.
/// </summary>
public sealed class GroupChangeConflictException(string route)
    : ServiceException($"{route}: the group changed in the meantime (409)")
{
    public string Route { get; } = route;
}
