using System.Text.Json;
using Musubi.Monitoring.Incidents;
using static Musubi.Monitoring.Incidents.Tests.PostMortems.PostMortemSamples;

namespace Musubi.Monitoring.Incidents.Tests.PostMortems;

public sealed class PostMortemTests
{
    private static readonly DateTimeOffset Day1 = T0.AddDays(1);

    private static readonly ActionItem Item = new("Add a canary stage", ActionItemType.Prevent, "team-payments", new DateOnly(2026, 12, 18));

    [Fact]
    public void FromIncident_ResolvedIncident_FillsEverySectionTheIncidentKnows()
    {
        PostMortem postMortem = Draft();

        Assert.Equal(("INC-42", NastyTitle, Severity.Sev2, PostMortemStatus.Draft), (postMortem.IncidentId, postMortem.Title, postMortem.Severity, postMortem.Status));
        Assert.Equal($"SEV2 incident \"{NastyTitle.Replace('\n', ' ')}\": detected 2026-12-03T10:00:00Z, mitigated after 1h 25m, resolved after 1h 30m 30s. It was reopened once before it was resolved.",
            postMortem.Summary);
        Assert.Equal("12 % of EU checkouts failed (≈ 3 400 €).\n\n== not a heading\n    not code\n\nAffected services: checkout, payments|eu.", postMortem.Impact);
        Assert.Equal([NastyRootCause], postMortem.RootCauses);
        Assert.Equal("Rolled back to v1.2.3; set `retry_budget` = 10.", postMortem.Resolution);
        Assert.Equal("Opened by alertmanager at 2026-12-03T10:00:00Z from alert fp:9f2c; acknowledged 4m after detection.", postMortem.Detection);
        Assert.Equal(string.Empty, postMortem.Trigger);
        Assert.Empty(postMortem.ActionItems);
        Assert.Equal(["The incident was reopened once: a resolution did not hold."], postMortem.LessonsLearned.WentWrong);
        Assert.Empty(postMortem.LessonsLearned.WentWell);
        Assert.Equal(ResolvedIncident().Timeline, postMortem.Timeline);
        Assert.Equal((TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(85), new TimeSpan(1, 30, 30)),
            (postMortem.TimeToAcknowledge, postMortem.TimeToMitigate, postMortem.TimeToResolve));
        Assert.Equal(["ana"], postMortem.Authors);
        Assert.Equal((Day1, Day1, (DateTimeOffset?)null, 1), (postMortem.CreatedAt, postMortem.UpdatedAt, postMortem.PublishedAt, postMortem.Version));
        Assert.Equal(new PostMortemRevision(1, Day1, "ana", "Created from incident INC-42"), Assert.Single(postMortem.Revisions));
        Assert.Equal(["action items"], postMortem.MissingForPublication);
    }

    [Fact]
    public void FromIncident_GeneratedText_NamesNoResponder()
    {
        PostMortem postMortem = Draft();
        string generated = string.Join("\n", [postMortem.Summary, postMortem.Impact, postMortem.Detection, .. postMortem.LessonsLearned.WentWrong]);

        Assert.DoesNotMatch(@"\b(ana|ben)\b", generated);
        Assert.Contains(postMortem.Timeline, e => e.Actor == "ben");
    }

    [Fact]
    public void FromIncident_NeverAcknowledgedAndNoDetails_LeavesSectionsEmptyAndSaysSo()
    {
        Incident incident = Incident.Open("INC-7", "Disk full", Severity.Sev4, T0, "ana")
            .TransitionTo(IncidentStatus.Resolved, "ana", T0.AddMinutes(10));

        PostMortem postMortem = PostMortem.FromIncident(incident, T0.AddMinutes(10), "ana");

        Assert.Equal("SEV4 incident \"Disk full\": detected 2026-12-03T10:00:00Z, resolved after 10m.", postMortem.Summary);
        Assert.Equal("Opened by ana at 2026-12-03T10:00:00Z; never acknowledged.", postMortem.Detection);
        Assert.Equal(["The incident was never acknowledged: nobody confirmed the page before it was resolved."], postMortem.LessonsLearned.WentWrong);
        Assert.Null(postMortem.TimeToAcknowledge);
        Assert.Contains("| Acknowledged | — | — |\n| Mitigated | 2026-12-03T10:10:00Z | 10m |\n", postMortem.ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal(["impact", "root causes", "resolution", "action items"], postMortem.MissingForPublication);
    }

    [Fact]
    public void FromIncident_BadInput_Throws()
    {
        Incident open = Incident.Open("INC-8", "Slow", Severity.Sev3, T0, "alertmanager").TransitionTo(IncidentStatus.Investigating, "ana", T0.AddMinutes(1));

        Assert.Equal("incident", Assert.Throws<ArgumentNullException>(() => PostMortem.FromIncident(null!, Day1, "ana")).ParamName);
        Assert.Equal("author", Assert.Throws<ArgumentException>(() => PostMortem.FromIncident(ResolvedIncident(), Day1, " ")).ParamName);
        Assert.Equal("author", Assert.Throws<ArgumentNullException>(() => PostMortem.FromIncident(ResolvedIncident(), Day1, null!)).ParamName);
        InvalidOperationException stillOpen = Assert.Throws<InvalidOperationException>(() => PostMortem.FromIncident(open, Day1, "ana"));
        Assert.Contains("INC-8 is Investigating", stillOpen.Message, StringComparison.Ordinal);
        ArgumentOutOfRangeException early = Assert.Throws<ArgumentOutOfRangeException>(() => PostMortem.FromIncident(ResolvedIncident(), T0.AddMinutes(30), "ana"));
        Assert.Contains("2026-12-03T10:30:00.0000000+00:00", early.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Edit_ChangedSections_RecordsARevisionAndAddsTheEditorAsAuthor()
    {
        PostMortem edited = Draft().Edit("chen", Day1.AddHours(1), trigger: "Deploy 4521", rootCauses: ["flag", "no canary"], summary: "Short.");

        Assert.Equal(("Deploy 4521", "Short."), (edited.Trigger, edited.Summary));
        Assert.Equal(["flag", "no canary"], edited.RootCauses);
        Assert.Equal(["ana", "chen"], edited.Authors);
        Assert.Equal((2, Day1.AddHours(1)), (edited.Version, edited.UpdatedAt));
        Assert.Equal(new PostMortemRevision(2, Day1.AddHours(1), "chen", "Edited summary, root causes, trigger"), edited.Revisions[^1]);
        Assert.Equal(NastyTitle, edited.Title);
        Assert.Same(edited, edited.Edit("chen", Day1.AddHours(2)));
        Assert.Equal(["ana", "chen"], edited.Edit("ana", Day1.AddHours(2), impact: string.Empty).Authors);
        Assert.Equal(["impact", "action items"], edited.Edit("ana", Day1.AddHours(2), impact: string.Empty).MissingForPublication);
    }

    [Fact]
    public void AddActionItem_InReview_AddsItAndStaysInReview()
    {
        PostMortem inReview = Draft().TransitionTo(PostMortemStatus.InReview, "ana", Day1.AddHours(1));

        PostMortem edited = inReview.AddActionItem(Item, "dana", Day1.AddHours(2));

        Assert.Equal(PostMortemStatus.InReview, edited.Status);
        Assert.Equal(Item, Assert.Single(edited.ActionItems));
        Assert.Empty(edited.MissingForPublication);
        Assert.Equal("Edited action items", edited.Revisions[^1].Change);
    }

    [Fact]
    public void Edit_BadInput_ThrowsNamingTheValue()
    {
        PostMortem draft = Draft();

        Assert.Equal("editor", Assert.Throws<ArgumentException>(() => draft.Edit(" ", Day1, summary: "x")).ParamName);
        Assert.Equal("title", Assert.Throws<ArgumentException>(() => draft.Edit("ana", Day1, title: "  ")).ParamName);
        ArgumentException blank = Assert.Throws<ArgumentException>(() => draft.Edit("ana", Day1, rootCauses: ["flag", " "]));
        Assert.Equal("rootCauses", blank.ParamName);
        Assert.Contains("Entry 1 of rootCauses", blank.Message, StringComparison.Ordinal);
        Assert.Contains("Action item 0 is null",
            Assert.Throws<ArgumentException>(() => draft.Edit("ana", Day1, actionItems: [null!])).Message, StringComparison.Ordinal);
        Assert.Equal("item", Assert.Throws<ArgumentNullException>(() => draft.AddActionItem(null!, "ana", Day1)).ParamName);
        ArgumentOutOfRangeException early = Assert.Throws<ArgumentOutOfRangeException>(() => draft.Edit("ana", Day1.AddSeconds(-1), summary: "x"));
        Assert.Contains("earlier than the last change (2026-12-04T10:00:00.0000000+00:00)", early.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionItem_BadInput_ThrowsNamingTheValue()
    {
        Assert.Equal("Description", Assert.Throws<ArgumentException>(() => new ActionItem(" ", ActionItemType.Prevent, "ana", default)).ParamName);
        Assert.Equal("Owner", Assert.Throws<ArgumentException>(() => new ActionItem("x", ActionItemType.Prevent, "", default)).ParamName);
        Assert.Equal("Owner", Assert.Throws<ArgumentNullException>(() => new ActionItem("x", ActionItemType.Prevent, null!, default)).ParamName);
        Assert.Equal("Owner", Assert.Throws<ArgumentException>(() => Item with { Owner = " " }).ParamName);
        ArgumentOutOfRangeException type = Assert.Throws<ArgumentOutOfRangeException>(() => new ActionItem("x", (ActionItemType)7, "ana", default));
        Assert.Equal(("Type", (object?)(ActionItemType)7), (type.ParamName, type.ActualValue));
        Assert.Equal("Status", Assert.Throws<ArgumentOutOfRangeException>(() => Item with { Status = (ActionItemStatus)(-1) }).ParamName);
        Assert.Equal(ActionItemStatus.Done, (Item with { Status = ActionItemStatus.Done }).Status);
        Assert.Equal("WentWell", Assert.Throws<ArgumentException>(() => new LessonsLearned { WentWell = ["ok", ""] }).ParamName);
        Assert.True(new LessonsLearned { GotLucky = default }.IsEmpty);
    }

    [Fact]
    public void TransitionTo_ReviewCycle_MovesAndRecordsEachStep()
    {
        PostMortem inReview = Draft().AddActionItem(Item, "ana", Day1.AddHours(1)).TransitionTo(PostMortemStatus.InReview, "ana", Day1.AddHours(2));
        PostMortem backToDraft = inReview.TransitionTo(PostMortemStatus.Draft, "dana", Day1.AddHours(3), "split the root causes");
        PostMortem published = backToDraft
            .TransitionTo(PostMortemStatus.InReview, "ana", Day1.AddHours(4))
            .TransitionTo(PostMortemStatus.Published, "dana", Day1.AddHours(5));

        Assert.Equal("Draft → InReview", inReview.Revisions[^1].Change);
        Assert.Equal(new PostMortemRevision(4, Day1.AddHours(3), "dana", "InReview → Draft: split the root causes"), backToDraft.Revisions[^1]);
        Assert.Equal((PostMortemStatus.Published, Day1.AddHours(5), 6), (published.Status, published.PublishedAt, published.Version));
        Assert.Equal(["ana"], published.Authors);
        Assert.Equal([1, 2, 3, 4, 5, 6], published.Revisions.Select(r => r.Version));
    }

    [Theory]
    [InlineData(PostMortemStatus.Draft, PostMortemStatus.InReview, true)]
    [InlineData(PostMortemStatus.InReview, PostMortemStatus.Draft, true)]
    [InlineData(PostMortemStatus.InReview, PostMortemStatus.Published, true)]
    [InlineData(PostMortemStatus.Draft, PostMortemStatus.Published, false)]
    [InlineData(PostMortemStatus.Draft, PostMortemStatus.Draft, false)]
    [InlineData(PostMortemStatus.Published, PostMortemStatus.Draft, false)]
    [InlineData(PostMortemStatus.Published, PostMortemStatus.InReview, false)]
    public void CanTransition_EveryPair_FollowsTheReviewCycle(PostMortemStatus from, PostMortemStatus to, bool allowed) =>
        Assert.Equal(allowed, PostMortem.CanTransition(from, to));

    [Fact]
    public void TransitionTo_InvalidMove_ThrowsNamingBothStates()
    {
        InvalidOperationException skip = Assert.Throws<InvalidOperationException>(
            () => Draft().TransitionTo(PostMortemStatus.Published, "dana", Day1));
        Assert.Equal("The post-mortem of incident INC-42 cannot move from Draft to Published; from Draft it can move to InReview.", skip.Message);

        InvalidOperationException final = Assert.Throws<InvalidOperationException>(
            () => Published().TransitionTo(PostMortemStatus.Draft, "dana", Day1.AddDays(1)));
        Assert.Equal("The post-mortem of incident INC-42 cannot move from Published to Draft; from Published it can move to none (it is final).", final.Message);
        Assert.Equal("actor", Assert.Throws<ArgumentException>(() => Draft().TransitionTo(PostMortemStatus.InReview, "", Day1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Draft().TransitionTo(PostMortemStatus.InReview, "ana", Day1.AddTicks(-1)));
    }

    [Fact]
    public void TransitionTo_PublishWithMissingSections_ThrowsNamingThem()
    {
        Incident bare = Incident.Open("INC-7", "Disk full", Severity.Sev4, T0, "ana").TransitionTo(IncidentStatus.Resolved, "ana", T0.AddMinutes(10));
        PostMortem inReview = PostMortem.FromIncident(bare, Day1, "ana").TransitionTo(PostMortemStatus.InReview, "ana", Day1);

        InvalidOperationException missing = Assert.Throws<InvalidOperationException>(() => inReview.TransitionTo(PostMortemStatus.Published, "dana", Day1));
        Assert.Equal("The post-mortem of incident INC-7 cannot be published: impact, root causes, resolution, action items are empty.", missing.Message);

        PostMortem almost = inReview.Edit("ana", Day1, impact: "Builds failed.", rootCauses: ["Log rotation off"], resolution: "Freed space.", actionItems: [Item], summary: " ");
        Assert.Equal("The post-mortem of incident INC-7 cannot be published: summary is empty.",
            Assert.Throws<InvalidOperationException>(() => almost.TransitionTo(PostMortemStatus.Published, "dana", Day1)).Message);
    }

    [Fact]
    public void Edit_Published_ThrowsReadOnly()
    {
        PostMortem published = Published();

        InvalidOperationException edit = Assert.Throws<InvalidOperationException>(() => published.Edit("ana", Day1.AddDays(1), summary: "late fix"));
        Assert.Contains("INC-42 was published at 2026-12-04T13:00:00.0000000+00:00 and is read-only", edit.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => published.AddActionItem(Item, "ana", Day1.AddDays(1)));
    }

    [Fact]
    public void FromJson_ToJsonOfPublished_RoundTrips()
    {
        PostMortem published = Published();
        string json = published.ToJson();

        PostMortem read = PostMortem.FromJson(json);

        Assert.Equal(published, read);
        Assert.Equal(json, read.ToJson());
        Assert.Equal(published.ToMarkdown(), read.ToMarkdown());
        Assert.Equal(PostMortem.FromJson(Draft().ToJson()), Draft());
        Assert.NotEqual(Draft(), Published());
    }

    [Fact]
    public void ToJson_Published_IsCamelCaseWithEnumsAsStringsAndUtcTimes()
    {
        using JsonDocument document = JsonDocument.Parse(Published().ToJson());
        JsonElement root = document.RootElement;

        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("sev2", root.GetProperty("severity").GetString());
        Assert.Equal("published", root.GetProperty("status").GetString());
        Assert.Equal("2026-12-04T13:00:00Z", root.GetProperty("publishedAt").GetString());
        Assert.Equal("2026-12-03T11:30:30Z", root.GetProperty("resolvedAt").GetString());
        JsonElement item = root.GetProperty("actionItems")[1];
        Assert.Equal(("mitigate", "inProgress", "2026-12-11", "Søren <sre@example.com>"),
            (item.GetProperty("type").GetString(), item.GetProperty("status").GetString(), item.GetProperty("dueDate").GetString(), item.GetProperty("owner").GetString()));
        JsonElement lessons = root.GetProperty("lessonsLearned");
        Assert.Equal((2, 1, 1), (lessons.GetProperty("wentWell").GetArrayLength(), lessons.GetProperty("wentWrong").GetArrayLength(), lessons.GetProperty("gotLucky").GetArrayLength()));
        Assert.Equal(NastyRootCause, root.GetProperty("rootCauses")[0].GetString());
    }

    [Theory]
    [InlineData("\"schemaVersion\": 1", "\"schemaVersion\": 2", "'schemaVersion' must be 1")]
    [InlineData("\"status\": \"published\"", "\"status\": \"done\"", "'status' is 'done'; use one of draft, inReview, published")]
    [InlineData("\"owner\": \"team-payments\"", "\"owner\": \" \"", "'owner' is empty")]
    [InlineData("\"dueDate\": \"2026-12-18\"", "\"dueDate\": \"18.12.2026\"", "'dueDate' is '18.12.2026'; use yyyy-MM-dd")]
    [InlineData("\"incidentId\": \"INC-42\"", "\"incidentId\": 42", "'incidentId' is missing or not a JSON string")]
    [InlineData("\"publishedAt\": \"2026-12-04T13:00:00Z\"", "\"publishedAt\": null", "'publishedAt' must be set exactly when 'status' is published")]
    [InlineData("\"wentWell\": [", "\"wentWell\": [\"\",", "Entry 0 of WentWell is null or white space")]
    [InlineData("\"version\": 4,\n  \"revisions\"", "\"version\": 5,\n  \"revisions\"", "'version' is 5 but 'revisions' holds 4")]
    [InlineData("\"version\": 2,", "\"version\": 7,", "'revisions' entry 1 has version 7")]
    [InlineData("\"authors\": [\n    \"ana\",\n    \"chen\"\n  ]", "\"authors\": []", "'authors' is empty")]
    public void FromJson_InvalidValue_ThrowsNamingTheProperty(string find, string replace, string message)
    {
        string json = Published().ToJson();
        Assert.Contains(find, json, StringComparison.Ordinal);

        JsonException error = Assert.Throws<JsonException>(() => PostMortem.FromJson(json.Replace(find, replace, StringComparison.Ordinal)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"actionItems\": [", "\"actionItems\": [1,")]
    [InlineData("\"timeline\": [", "\"timeline\": [1,")]
    [InlineData("\"revisions\": [", "\"revisions\": [null,")]
    [InlineData("\"incidentId\": \"INC-42\"", "\"incidentId\": \"\\ud800\"")]
    public void FromJson_WrongKindInAnArrayOrLoneSurrogate_ThrowsJsonException(string find, string replace)
    {
        string json = Published().ToJson();
        Assert.Contains(find, json, StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => PostMortem.FromJson(json.Replace(find, replace, StringComparison.Ordinal)));
    }

    [Fact]
    public void FromJson_PublishedWithoutActionItems_IsRefused()
    {
        string json = Published().ToJson();
        int start = json.IndexOf("\"actionItems\": [", StringComparison.Ordinal);
        int end = json.IndexOf("\"lessonsLearned\"", StringComparison.Ordinal);
        string stripped = json[..start] + "\"actionItems\": [],\n  " + json[end..];

        Assert.Contains("published but action items is empty",
            Assert.Throws<JsonException>(() => PostMortem.FromJson(stripped)).Message, StringComparison.Ordinal);
        Assert.Equal("json", Assert.Throws<ArgumentException>(() => PostMortem.FromJson(" ")).ParamName);
        Assert.ThrowsAny<JsonException>(() => PostMortem.FromJson("[1]"));
        Assert.ThrowsAny<JsonException>(() => PostMortem.FromJson("{ not json"));
    }

    [Fact]
    public void ReadmeExample_FromIncidentToPublishedMarkdown_Works()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0.AddDays(1));
        Incident incident = ResolvedIncident();

        // README: begin
        PostMortem postMortem = PostMortem.FromIncident(incident, time.GetUtcNow(), author: "ana")
            .Edit("ana", time.GetUtcNow(),
                trigger: "Deploy 4521 turned the retry budget to 0.",
                lessonsLearned: new LessonsLearned { WentWell = ["The alert fired within 2 minutes."] })
            .AddActionItem(new ActionItem("Canary stage for config flags", ActionItemType.Prevent,
                owner: "team-payments", dueDate: new DateOnly(2026, 12, 18)), "ana", time.GetUtcNow())
            .TransitionTo(PostMortemStatus.InReview, "ana", time.GetUtcNow());

        if (postMortem.MissingForPublication.IsEmpty)
        {
            postMortem = postMortem.TransitionTo(PostMortemStatus.Published, "reviewer", time.GetUtcNow());
        }

        string markdown = postMortem.ToMarkdown(); // escaped tables, ISO 8601 UTC times
        string json = postMortem.ToJson();         // PostMortem.FromJson(json) reads it back
        // README: end

        Assert.Equal(PostMortemStatus.Published, postMortem.Status);
        Assert.Contains("| 1 | Canary stage for config flags | Prevent | team-payments | 2026-12-18 | Open |", markdown, StringComparison.Ordinal);
        Assert.Equal(postMortem, PostMortem.FromJson(json));
    }
}
